package org.multimagnet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the package layout to a picture of the pipeline, data → nn → attack/defense → workspace → experiment →
 * cli/ui (common usable by all, the launcher on top): a package uses only those before it, so arrows go one way.
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
                .whereLayer("sweep").mayOnlyBeAccessedByLayers("launcher", "cli")
                .whereLayer("experiment").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "sweep")
                .whereLayer("workspace").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "sweep", "experiment")
                .whereLayer("defense").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "sweep", "experiment", "workspace")
                .whereLayer("attack").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "sweep", "experiment", "workspace")
                .whereLayer("nn").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "sweep", "experiment", "workspace", "defense", "attack")
                .whereLayer("data").mayOnlyBeAccessedByLayers("launcher", "ui", "cli", "sweep", "experiment", "workspace", "defense", "attack", "nn")
                .allowEmptyShould(true)
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
