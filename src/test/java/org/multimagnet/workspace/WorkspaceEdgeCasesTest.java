package org.multimagnet.workspace;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.common.UserException;
import org.multimagnet.data.IdxReader;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CalibrationGrid;
import org.multimagnet.defense.MetricName;
import org.multimagnet.defense.ThresholdApproach;
import org.multimagnet.nn.Autoencoder;
import org.multimagnet.nn.Classifier;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Edge cases at the workspace's door: NaN/∞ in an attack set's IDX file, a grid asking for n &gt; |S|. */
class WorkspaceEdgeCasesTest {
    @TempDir
    Path w;

    /** An IDX float file (0x0D or 0x0E) of 2 images 1×2×2 holding {@code bad} at value 5. */
    private Path idx(String name, int type, double bad) throws Exception {
        int size = type == 0x0D ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(4 + 3 * 4 + 8 * size);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) 3).putInt(2).putInt(2).putInt(2);
        for (int i = 0; i < 8; i++) {
            double v = i == 5 ? bad : 0.5;
            if (type == 0x0D) {
                b.putFloat((float) v);
            } else {
                b.putDouble(v);
            }
        }
        Path f = w.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    @Test
    void nanAndInfinityInAnIdxFloatFileAreRefusedNamingFileAndValue() throws Exception {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int type : new int[] {0x0D, 0x0E}) {
            for (double v : bad) {
                Path f = idx("bad-" + type + "-" + v + ".idx", type, v);
                UserException e = assertThrows(UserException.class, () -> IdxReader.readImages(f), f.toString());
                assertTrue(e.getMessage().contains(f.getFileName().toString()) && e.getMessage().contains("value 5")
                        && e.getMessage().contains(type == 0x0D ? Float.toString((float) v) : Double.toString(v)),
                        e.getMessage());
            }
        }
    }

    private static final class Untouchable implements Classifier, Autoencoder {
        private final int id;

        Untouchable(int id) {
            this.id = id;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public ImageShape inputShape() {
            return ImageShape.MNIST;
        }

        @Override
        public int classCount() {
            return 10;
        }

        @Override
        public INDArray logits(INDArray x) {
            throw new AssertionError("no forward pass should run");
        }

        @Override
        public LogitsAndGradient gradient(INDArray x, INDArray oneHot, INDArray w) {
            throw new AssertionError("no forward pass should run");
        }

        @Override
        public INDArray reconstruct(INDArray x) {
            throw new AssertionError("no forward pass should run");
        }
    }

    @Test
    void aGridAskingForMoreMembersThanSIsAUserErrorBeforeAnythingIsRead() {
        CalibrationStore store = new CalibrationStore(w);
        CalibrationGrid grid = new CalibrationGrid(List.of(0.01), List.of(), List.of(MetricName.RE),
                List.of(ThresholdApproach.MTA), List.of(1, 3, 5), 1L, 2);
        List<Untouchable> s = List.of(new Untouchable(1), new Untouchable(2), new Untouchable(3));
        UserException e = assertThrows(UserException.class, () -> store.calibrate("fgsm", new Untouchable(0), s,
                null, grid, Map.of(), null, Consent.ASK_FIRST, ProgressListener.NONE, Cancellation.NEVER));
        assertTrue(e.getMessage().contains("n = 5") && e.getMessage().contains("only m = 3")
                && e.getMessage().contains("ensembleSizes"), e.getMessage());
        UserException none = assertThrows(UserException.class, () -> store.calibrate("fgsm", new Untouchable(0),
                List.<Untouchable>of(), null, grid, Map.of(), null, Consent.ASK_FIRST, ProgressListener.NONE,
                Cancellation.NEVER));
        assertTrue(none.getMessage().contains("no autoencoder"), none.getMessage());
    }
}
