package org.multimagnet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the package layout to a picture of the pipeline, data → nn → attack/defense → workspace → experiment →
 * (sweep) → stage → cli/ui (common usable by all, the launcher on top): a package uses only those before it, so arrows
 * go one way. The two faces run the stages through {@code stage} rather than around it: see
 * {@link #facesGoThroughTheStages}.
 * JavaFX lives only in {@code ui} (JFreeChart's AWT renderer may draw report PNGs elsewhere), picocli and standard
 * output only in {@code cli}.
 */
class ArchitectureTest {
    private static final String BASE = "org.multimagnet";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);
    }

    @Test
    void packageArrowsPointDownThePipeline() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("launcher").definedBy(BASE)
                .layer("ui").definedBy(BASE + ".ui..")
                .layer("cli").definedBy(BASE + ".cli..")
                .layer("stage").definedBy(BASE + ".stage..")
                .layer("sweep").definedBy(BASE + ".sweep..")
                .layer("experiment").definedBy(BASE + ".experiment..")
                .layer("workspace").definedBy(BASE + ".workspace..")
                .layer("defense").definedBy(BASE + ".defense..")
                .layer("attack").definedBy(BASE + ".attack..")
                .layer("nn").definedBy(BASE + ".nn..")
                .layer("data").definedBy(BASE + ".data..")
                .layer("common").definedBy(BASE + ".common..")
                .whereLayer("launcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("ui").mayOnlyBeAccessedByLayers("launcher")
                .whereLayer("cli").mayOnlyBeAccessedByLayers("launcher")
                .whereLayer("stage").mayOnlyBeAccessedByLayers("launcher", "ui", "cli")
                .whereLayer("sweep").mayOnlyBeAccessedByLayers("launcher", "cli")
                .whereLayer("experiment").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "stage", "sweep")
                .whereLayer("workspace").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "stage", "sweep", "experiment")
                .whereLayer("defense").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "stage", "sweep", "experiment", "workspace")
                .whereLayer("attack").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "stage", "sweep", "experiment", "workspace")
                .whereLayer("nn").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "stage", "sweep", "experiment", "workspace", "defense", "attack")
                .whereLayer("data").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "stage", "sweep", "experiment", "workspace", "defense", "attack", "nn")
                .allowEmptyShould(true)
                .check(classes);
    }

    /**
     * The values a stage hands back and a face shows or parses: records and enums of the defense that describe a
     * calibration or a decision, an attack set's summary, the classifier recipe an option names, and training's
     * progress callback. Nothing here computes.
     */
    private static final Set<String> STAGE_VALUES = Set.of(
            "attack.AttackSummary", "defense.CBest", "defense.CalibrationGrid", "defense.CalibrationResult", "defense.CalibrationTiming",
            "defense.Combination", "defense.ConfusionMatrix", "defense.Decision", "defense.DecisionCsv", "defense.DeploymentSettings", "defense.DefenseKind",
            "defense.GridRow", "defense.MemberThreshold", "defense.MemberVote", "defense.MetricName", "defense.ReformerSource",
            "defense.Roc", "defense.Roc$Point", "defense.ThresholdApproach", "defense.Verdict", "nn.ClassifierRecipe",
            "nn.TrainingListener", "nn.TrainingProgress");

    /**
     * {@code cli} and {@code ui} parse, print, thread and bind; what a stage computes they get from {@code stage}.
     * So they may not use {@code nn}, {@code attack} or {@code defense}, except the values the stages hand back
     * ({@link #STAGE_VALUES}).
     */
    @Test
    void facesGoThroughTheStages() {
        DescribedPredicate<JavaClass> engine = new DescribedPredicate<>("in nn, attack or defense, other than the "
                + "values a stage hands back") {
            @Override
            public boolean test(JavaClass c) {
                String name = c.getName();
                if (!name.startsWith(BASE + ".nn.") && !name.startsWith(BASE + ".attack.")
                        && !name.startsWith(BASE + ".defense.")) {
                    return false;
                }
                String local = name.substring(BASE.length() + 1);
                int inner = local.indexOf('$');
                return !STAGE_VALUES.contains(local) && !STAGE_VALUES.contains(inner < 0 ? local : local.substring(0, inner));
            }
        };
        noClasses().that().resideInAnyPackage(BASE + ".cli..", BASE + ".ui..")
                .should().dependOnClassesThat(engine)
                .check(classes);
    }

    @Test
    void javafxOnlyInTheWorkbench() {
        noClasses().that().resideOutsideOfPackages(BASE + ".ui..", BASE)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.jfree.chart.fx..", "atlantafx..")
                .check(classes);
    }

    /** SameDiff is the tests' reference for the engines (docs/engine.md), never an engine itself. */
    @Test
    void sameDiffOnlyInTheTests() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.nd4j.autodiff..").check(classes);
    }

    @Test
    void picocliAndStandardOutputOnlyInTheCommandLine() {
        noClasses().that().resideOutsideOfPackage(BASE + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage("picocli..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages(BASE + ".cli..")
                .should().accessField(System.class, "out")
                .check(classes);
    }
}
