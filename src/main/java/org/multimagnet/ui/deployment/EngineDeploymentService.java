package org.multimagnet.ui.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.multimagnet.data.ImageFiles;
import org.multimagnet.data.ImageShape;
import org.multimagnet.defense.CBest;
import org.multimagnet.defense.Combination;
import org.multimagnet.defense.Decision;
import org.multimagnet.defense.Verdict;
import org.multimagnet.stage.DeployStage;

/**
 * {@link DeploymentService} over {@link DeployStage}: the pane's calls become stage requests and the stage's
 * deployers and decisions become the pane's records. Opened again before every decision, so that a member retrained
 * or a calibration made meanwhile (here or by another process) is seen, and a stale one refused in the stage's
 * words; used only from the compute thread.
 */
public final class EngineDeploymentService implements DeploymentService {
    private final DeployStage stage = new DeployStage();
    private DeployStage.Deployer deployer;
    private Setup setup;

    @Override
    public Setup open(Path folder, String attack, boolean allowStale) {
        // an attack picked before another workspace was opened, or whose calibration went away: the most recent one
        String chosen = attack != null && DeployStage.calibrations(folder).contains(attack) ? attack : null;
        DeployStage.Deployer s = stage.open(new DeployStage.Request(folder, chosen, null, null, null, allowStale),
                notice -> { });
        if (s == deployer && setup != null) {
            return setup;
        }
        setup = null;
        deployer = s;
        setup = setup(s, folder);
        return setup;
    }

    private static Setup setup(DeployStage.Deployer s, Path folder) {
        CBest cBest = s.cBest();
        int m = s.repositorySize();
        List<Integer> drawn = cBest.combination().ensembleSizes();
        List<Integer> sizes = new ArrayList<>();
        if (drawn.size() > 1) {
            sizes.add(DRAWN);
        }
        for (int n = 1; n <= m; n += 2) {
            sizes.add(n);
        }
        Combination c = cBest.combination();
        String description = c.metric() + (c.temperature() == null ? "" : " T " + c.temperature()) + " · "
                + c.approach().paperName() + " · t_fp " + c.falsePositiveRate() + " · calibrated on " + cBest.attack()
                + (drawn.size() > 1 ? " · n drawn from " + c.sizesLabel() : "")
                + (s.freshness().recordsChecksums() ? "" : " (models' checksums not recorded: cannot tell if they changed)");
        Terms terms = new Terms(c.metric().toString(), c.temperature(), c.approach().paperName(),
                c.falsePositiveRate(), c.sizesLabel());
        return new Setup(s.shape(), s.classNames(), m, sizes, drawn.size() > 1 ? DRAWN : drawn.get(0), description,
                terms, cBest.attack(), DeployStage.calibrations(folder), describeModels(s.newest(), m),
                s.freshness().stale() ? s.freshness().warning() : "");
    }

    /** e.g. "F + S (10 members) · newest: ae-03, trained 2026-12-03 14:02 UTC" */
    static String describeModels(DeployStage.Newest newest, int members) {
        String when = newest == null ? "" : " · newest: " + newest.model() + ", trained "
                + newest.createdAt().replace('T', ' ').replaceAll(":\\d\\d(\\.\\d+)?Z$", " UTC");
        return "F + S (" + members + " members)" + when;
    }

    @Override
    public ImageFiles.LoadedImage readImage(Path file, ImageShape shape) {
        return ImageFiles.read(file, shape);
    }

    @Override
    public Result classify(float[] image, int ensembleSize, long seed) {
        Decision dec = sized(ensembleSize).decide(image, new SplittableRandom(seed));
        Map<Integer, String> structure = new HashMap<>();
        for (DeployStage.Member a : deployer.members()) {
            structure.put(a.id(), "[" + String.join(", ", a.structure()) + "]");
        }
        List<MemberVote> votes = new ArrayList<>();
        for (org.multimagnet.defense.MemberVote v : dec.members()) {
            votes.add(new MemberVote(v.id(), structure.getOrDefault(v.id(), ""), v.reconstruction(), v.mark(),
                    v.threshold(), v.vote() == Verdict.LEGITIMATE));
        }
        boolean legit = dec.verdict() == Verdict.LEGITIMATE;
        return new Result(seed, votes, legit, dec.reformed(), dec.reformerId() == null ? -1 : dec.reformerId(),
                dec.probabilities(), dec.reformedProbabilities());
    }

    /** Every member's mark of the image, then the stage's exact count per size (n = 1 under MagNet's C_best). */
    @Override
    public List<Acceptance> acceptance(float[] image, List<Integer> sizes) {
        requireOpen();
        return deployer.acceptance(image, sizes).stream()
                .map(a -> new Acceptance(a.n(), a.accepting(), a.ensembles())).toList();
    }

    @Override
    public StreamSet streamSet() {
        requireOpen();
        DeployStage.TestSet d = deployer.testSet();
        return new StreamSet(d.pixels(), d.shape(), d.adversarial(), d.labels(),
                String.format("D = %,d legitimate + %,d %s", d.pairs(), d.pairs(), d.attack()));
    }

    private DeployStage.Deployer sized(int ensembleSize) {
        requireOpen();
        return deployer.withEnsembleSize(ensembleSize == DRAWN ? null : ensembleSize);
    }

    private void requireOpen() {
        if (setup == null) {
            throw new IllegalStateException("open(workspace) first");
        }
    }
}
