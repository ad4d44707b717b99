package org.multimagnet.sweep;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.multimagnet.common.Checksums;
import org.multimagnet.common.Json;

/**
 * One study of a sweep, with everything it needs to run on its own.
 *
 * @param index           its place in the task list (the array index that runs it)
 * @param id              {@code <index>-<hash>}: the index and a short hash of the parameters, the name of its folder
 * @param workspace       the shared workspace whose models are read (absolute; never written)
 * @param attack          fgsm, bim, deepfool or cw
 * @param params          the attack's parameters by name (the paper's defaults for those not given)
 * @param defense         multimagnet or magnet
 * @param ensembleSizes   the odd sizes n is drawn from per chunk; null for those of the defense's C_best
 * @param chunks          chunks of the protocol
 * @param chunkSize       images per chunk
 * @param validationCount images of V_leg attacked to make V_atk
 * @param testCount       images of Te drawn as D_leg and attacked to make D_atk
 * @param calibrationGrid the grid file C (absolute); null for the workspace's own, else the built-in one
 * @param seed            seeds the draws of source images, the calibration's ensembles and the protocol
 */
public record SweepTask(int index, String id, String workspace, String attack, Map<String, String> params,
                        String defense, List<Integer> ensembleSizes, int chunks, int chunkSize, int validationCount,
                        int testCount, String calibrationGrid, long seed) {

    public SweepTask {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        ensembleSizes = ensembleSizes == null ? null : List.copyOf(ensembleSizes);
    }

    /** A task whose id is computed from its index and parameters. */
    static SweepTask of(int index, String workspace, String attack, Map<String, String> params, String defense,
                        List<Integer> ensembleSizes, int chunks, int chunkSize, int validationCount, int testCount,
                        String calibrationGrid, long seed) {
        SweepTask t = new SweepTask(index, "", workspace, attack, params, defense, ensembleSizes, chunks, chunkSize,
                validationCount, testCount, calibrationGrid, seed);
        return t.withId(String.format(java.util.Locale.ROOT, "%04d-%s", index, t.parameterHash()));
    }

    private SweepTask withId(String newId) {
        return new SweepTask(index, newId, workspace, attack, params, defense, ensembleSizes, chunks, chunkSize,
                validationCount, testCount, calibrationGrid, seed);
    }

    /** The first 8 hex digits of the SHA-256 of the parameters (index and id left out), in a fixed order. */
    String parameterHash() {
        Map<String, Object> all = new LinkedHashMap<>(combination());
        all.put("seed", seed);
        return Checksums.sha256(Json.write(all).getBytes(StandardCharsets.UTF_8)).substring(0, 8);
    }

    /**
     * Every parameter but the seed, in a fixed order: the tasks that share it are the same study under other
     * seeds, which a merge averages over.
     */
    public Map<String, Object> combination() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workspace", workspace);
        m.put("attack", attack);
        m.put("params", params);
        m.put("defense", defense);
        m.put("ensembleSizes", ensembleSizes);
        m.put("chunks", chunks);
        m.put("chunkSize", chunkSize);
        m.put("validationCount", validationCount);
        m.put("testCount", testCount);
        m.put("calibrationGrid", calibrationGrid);
        return m;
    }

    /** @return the attack parameters as the command line writes them: {@code eps=0.1 alpha=0.01} */
    public String paramsText() {
        return String.join(" ", params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
