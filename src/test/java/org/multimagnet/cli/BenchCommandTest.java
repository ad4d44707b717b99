package org.multimagnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.multimagnet.common.BuildInfo;
import org.multimagnet.common.Json;

/** {@code bench --json --quick} with tiny hidden counts: every benchmark key is printed, with a positive value. */
class BenchCommandTest {
    private static final List<String> RATES = List.of("ae_train_img_s", "ae_infer_img_s", "clf_train_img_s",
            "clf_infer_img_s", "fgsm_img_s", "bim50_img_s", "deepfool_img_s", "cw100_img_s", "deploy_n5_img_s",
            "cifar_clf_train_img_s", "cifar_clf_infer_img_s", "cifar_input_grad_img_s", "cifar_ae_train_img_s",
            "cifar_ae_infer_img_s",
            "deploy_one_ms", "calibration_ratio", "threads");

    @Test
    void quickJsonHasEveryKeyPositive() throws Exception {
        BuildInfo.selectNativeBuild();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.run(new PrintWriter(out, true), new PrintWriter(err, true), "bench", "--json", "--quick",
                "--cap", "4", "--attack-iterations", "2");
        assertEquals(0, code, err.toString());
        JsonNode j = Json.mapper().readTree(out.toString());
        for (String key : RATES) {
            assertTrue(j.has(key), key + " missing in " + out);
            assertTrue(j.get(key).isNumber() && j.get(key).asDouble() > 0, key + " = " + j.get(key));
        }
        // the calibration is at least its forward passes
        assertTrue(j.get("calibration_ratio").asDouble() >= 1.0, out.toString());
        assertTrue(j.get("backend").asText().contains("nd4j-native"), j.get("backend").asText());
        assertTrue(j.get("quick").asBoolean());
        assertEquals(4, j.get("settings").get("fgsmImages").asInt());
        assertTrue(err.toString().contains("deploy_n5"), "progress goes to standard error: " + err);
    }
}
