package org.multimagnet.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.multimagnet.common.UserException;
import org.multimagnet.data.ImageShape;

class AttackParamsTest {

    @Test
    void paperDefaultsAreTable1() {
        assertEquals(new FgsmParams(0.2), FgsmParams.paperMnist());
        assertEquals(new FgsmParams(0.025), FgsmParams.paperCifar10());
        assertEquals(new BimParams(0.15, 0.07, 50), BimParams.paperMnist());
        assertEquals(new BimParams(0.025, 0.01, 1000), BimParams.paperCifar10());
        assertEquals(new DeepFoolParams(0.02, 50), DeepFoolParams.paperMnist());
        assertEquals(new DeepFoolParams(0.02, 50), DeepFoolParams.paperCifar10());
        assertEquals(new CarliniWagnerL2Params(0, 0.2, 10, 1, 100), CarliniWagnerL2Params.paperMnist());
        assertEquals(new CarliniWagnerL2Params(0, 0.5, 1, 1, 100), CarliniWagnerL2Params.paperCifar10());
    }

    @Test
    void theSettingFollowsTheImageShape() {
        assertEquals(PaperSetting.MNIST, PaperSetting.forShape(ImageShape.MNIST));
        assertEquals(PaperSetting.CIFAR10, PaperSetting.forShape(ImageShape.CIFAR10));
        assertEquals(0.025, ((FgsmParams) Attacks.create("FGSM", PaperSetting.CIFAR10, Map.of()).params()).epsilon());
    }

    @Test
    void textParametersOverrideDefaultsByNameOrAlias() {
        assertEquals(new BimParams(0.1, 0.07, 7),
                BimParams.fromMap(Map.of("eps", "0.1", "iterations", "7"), BimParams.paperMnist()));
        assertEquals(new CarliniWagnerL2Params(1.5, 0.01, 10, 3, 100),
                CarliniWagnerL2Params.fromMap(Map.of("confidence", "1.5", "lr", "0.01", "steps", "3"),
                        CarliniWagnerL2Params.paperMnist()));
        assertEquals(new DeepFoolParams(0.05, 10),
                DeepFoolParams.fromMap(Map.of("overshoot", "0.05", "maxIterations", "10"),
                        DeepFoolParams.paperMnist()));
        assertEquals(new FgsmParams(0.3), FgsmParams.fromMap(Map.of("epsilon", "0.3"), FgsmParams.paperMnist()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "fgsm; eps; abc; 'epsilon' = 'abc' is not a finite number",
            "fgsm; epsilon; 0; 'epsilon' must be in (0, 1], got 0.0",
            "fgsm; epsilon; 1.5; 'epsilon' must be in (0, 1], got 1.5",
            "bim; iterations; 2.5; 'iterations' = '2.5' is not a whole number",
            "bim; alpha; -1; 'alpha' must be in (0, 1]",
            "bim; step; 3; unknown parameter 'step' (known: alpha, epsilon, iterations)",
            "deepfool; overshoot; -0.1; 'overshoot' must be in [0, 10]",
            "deepfool; maxIterations; 0; 'maxIterations' must be in [1, 100000]",
            "cw; c0; 0; 'c0' must be in (0, 1e10)",
            "cw; kappa; NaN; 'kappa' = 'NaN' is not a finite number",
            "cw; binarySearchSteps; 0; 'binarySearchSteps' must be in [1, 100]",
            "nope; x; 1; unknown attack 'nope' (expected one of fgsm, bim, deepfool, cw)",
    })
    void badParametersAreRejectedNamingTheParameter(String attack, String name, String value, String message) {
        UserException e = assertThrows(UserException.class,
                () -> Attacks.create(attack, PaperSetting.MNIST, Map.of(name, value)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        if (!attack.equals("nope")) {
            assertTrue(e.getMessage().startsWith(attack + ": "), e.getMessage());
        }
    }
}
