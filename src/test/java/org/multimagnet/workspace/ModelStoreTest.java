package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.UserException;
import org.multimagnet.data.ImageShape;
import org.multimagnet.nn.ModelIO;
import org.multimagnet.nn.ModelRole;
import org.multimagnet.nn.ModelSpec;
import org.multimagnet.nn.ModelSpecs;
import org.multimagnet.nn.NetworkAutoencoder;
import org.multimagnet.nn.NetworkClassifier;
import org.multimagnet.nn.NetworkModel;
import org.multimagnet.nn.ParameterKey;
import org.multimagnet.nn.TrainingOptions;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelStoreTest {
    @TempDir
    Path dir;

    /** Random (untrained) parameters of the right shapes: enough to compare outputs before and after a round trip. */
    static Map<ParameterKey, INDArray> randomParameters(NetworkModel shapeSource, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<ParameterKey, INDArray> p = new java.util.LinkedHashMap<>();
        shapeSource.parameters().forEach((k, v) -> p.put(k, k.role() == ParameterKey.Role.RUNNING_VARIANCE ? Nd4j.rand(DataType.FLOAT, v.shape()).addi(0.5)
                : Nd4j.rand(DataType.FLOAT, v.shape()).subi(0.5)));
        return p;
    }

    static ModelManifest draft(NetworkModel m) {
        ModelSpec s = m.spec();
        return new ModelManifest(s.role(), s.id(), s.name(), s, m.parameterCount(), null, null, "test", "rule", 1, 1,
                s.epochs(), List.of(0.5), 0.5, s.role() == ModelRole.CLASSIFIER ? 0.9 : null, null, null, 1, 1,
                "SameDiff", "test", "test", null);
    }

    /** CIFAR-10 member 2 (32, max, 32 with batch norm) with random weights and running statistics. */
    private static NetworkAutoencoder bnMember() {
        ModelSpec spec = ModelSpecs.cifar10Members().get(1);
        return new NetworkAutoencoder(spec, randomParameters(NetworkModel.untrained(spec, 1), 5));
    }

    @Test
    void saveAndLoadGiveIdenticalOutputs() {
        ModelStore store = new ModelStore(dir);
        NetworkAutoencoder a = bnMember();
        ModelManifest m = store.save(a, draft(a));
        assertEquals("models/ae-02.zip", m.file());
        assertEquals(64, m.sha256().length());
        NetworkAutoencoder back = store.loadAutoencoder(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, ImageShape.CIFAR10.batch(3));
        assertArrayEquals(a.reconstruct(x).reshape(-1).toFloatVector(), back.reconstruct(x).reshape(-1).toFloatVector());
        assertEquals(a.spec(), back.spec());

        ModelSpec cs = ModelSpecs.mnistClassifier();
        NetworkClassifier c = new NetworkClassifier(cs, randomParameters(NetworkModel.untrained(cs, 2), 6));
        store.save(c, draft(c));
        NetworkClassifier cBack = store.loadClassifier();
        INDArray xm = Nd4j.rand(DataType.FLOAT, ImageShape.MNIST.batch(4));
        assertArrayEquals(c.logits(xm).reshape(-1).toFloatVector(), cBack.logits(xm).reshape(-1).toFloatVector());
        assertEquals(List.of(ModelRole.CLASSIFIER, ModelRole.AUTOENCODER), store.list().stream().map(ModelManifest::role).toList());
    }

    @Test
    void tamperedModelFileIsRefusedNamingIt() throws Exception {
        ModelStore store = new ModelStore(dir);
        NetworkAutoencoder a = bnMember();
        store.save(a, draft(a));
        Path file = store.modelFile("ae-02");
        byte[] b = Files.readAllBytes(file);
        b[b.length / 2] ^= 1;
        Files.write(file, b);
        UserException e = assertThrows(UserException.class, () -> store.loadAutoencoder(2));
        assertTrue(e.getMessage().contains("ae-02.zip") && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void manifestPathsCannotLeaveTheWorkspace() throws Exception {
        ModelStore store = new ModelStore(dir.resolve("w"));
        NetworkAutoencoder a = bnMember();
        store.save(a, draft(a));
        Path manifest = store.manifestFile("ae-02");
        for (String bad : List.of("../outside.zip", "/etc/passwd", "models/../../x.zip")) {
            String json = Files.readString(manifest).replace("\"models/ae-02.zip\"", "\"" + bad + "\"");
            Files.writeString(manifest, json);
            UserException e = assertThrows(UserException.class, () -> store.loadAutoencoder(2));
            assertTrue(e.getMessage().contains("expected 'models/ae-02.zip'"), e.getMessage());
            Files.writeString(manifest, json.replace("\"" + bad + "\"", "\"models/ae-02.zip\""));
        }
        assertInstanceOf(NetworkAutoencoder.class, store.loadAutoencoder(2));
    }

    @Test
    void notAModelFileIsRefusedNamingIt() throws Exception {
        Path f = dir.resolve("junk.zip");
        Files.writeString(f, "not a zip");
        UserException e = assertThrows(UserException.class, () -> ModelIO.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void cancellingKeepsTheOldModel() throws Exception {
        Workspace ws = Workspace.openOrCreate(dir.resolve("ws"), "sample:mnist", 3);
        ModelSpec member2 = ModelSpecs.mnistMembers().get(1);
        ModelManifest first = new ModelTraining(ws, p -> { }, Cancellation.NEVER, Consent.REPLACE)
                .train(member2, new TrainingOptions(1, 64, 3), m -> { });
        byte[] before = Files.readAllBytes(ws.models().modelFile("ae-02"));
        String manifestBefore = Files.readString(ws.models().manifestFile("ae-02"));
        Cancellation c = new Cancellation();
        ModelTraining again = new ModelTraining(ws, p -> c.cancel(), c, Consent.REPLACE);
        assertThrows(CancellationException.class, () -> again.train(member2, new TrainingOptions(2, 256, 4), m -> { }));
        assertArrayEquals(before, Files.readAllBytes(ws.models().modelFile("ae-02")));
        assertEquals(manifestBefore, Files.readString(ws.models().manifestFile("ae-02")));
        assertEquals(first.sha256(), ws.models().manifest("ae-02").sha256());
        assertEquals(142, ws.models().manifest("ae-02").parameters());
        assertTrue(ws.autoencoders().size() == 1);
    }

    @Test
    void workspaceRefusesAnotherDatasetAndMissingConfig() {
        assertThrows(UserException.class, () -> Workspace.open(dir.resolve("none")));
        Workspace.openOrCreate(dir.resolve("ws2"), "sample:mnist", 1);
        UserException e = assertThrows(UserException.class,
                () -> Workspace.openOrCreate(dir.resolve("ws2"), "sample:cifar10", 1));
        assertTrue(e.getMessage().contains("sample:mnist"), e.getMessage());
    }
}
