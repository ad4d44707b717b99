package org.multimagnet.ui.attack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.multimagnet.common.Cancellation;
import org.multimagnet.common.ProgressListener;
import org.multimagnet.data.ImageShape;
import org.multimagnet.stage.AdaptiveStage;
import org.multimagnet.stage.AttackStage;
import org.multimagnet.stage.FieldNames;
import org.multimagnet.workspace.Consent;

/**
 * {@link AttackService} over the attack and adaptive stages ({@link AttackStage}, {@link AdaptiveStage}), which the
 * command line runs too: this service maps their results to what the pane binds.
 */
public final class EngineAttackService implements AttackService {
    private final AttackStage attacks = new AttackStage(FieldNames.FORM);
    private final AdaptiveStage adaptive = new AdaptiveStage(FieldNames.FORM);

    @Override
    public List<String> attacks() {
        return AttackStage.attacks();
    }

    @Override
    public Map<String, String> defaults(Path workspace, String attack) {
        return attacks.defaults(workspace, attack);
    }

    @Override
    public AttackRun generate(Path folder, String attack, Map<String, String> params, String split, int count,
                              long seed, Consent consent, boolean scratch, ProgressListener progress,
                              Cancellation cancellation) {
        return run(attacks.run(new AttackStage.Request(folder, attack, params, split, count, seed, null,
                AttackStage.DEFAULT_BATCH, null, scratch, consent), note -> { }, progress, cancellation));
    }

    @Override
    public Optional<AttackRun> stored(Path folder, String attack, String split) {
        return attacks.stored(folder, attack, split).map(EngineAttackService::run);
    }

    @Override
    public float[] attackOne(Path folder, String attack, Map<String, String> params, float[] image, ImageShape shape,
                             int label) {
        return attacks.attackOne(folder, attack, params, image, shape, label);
    }

    @Override
    public AdaptiveOne adaptiveOne(Path folder, AdaptiveRequest request, float[] image, ImageShape shape, int label,
                                   ProgressListener progress, Cancellation cancellation) {
        AdaptiveStage.One r = adaptive.attackOne(AdaptiveStage.Request.oneImage(folder, request.defense(),
                request.method(), request.norm(), request.eps(), request.steps(), request.draws(), request.seed()),
                image, shape, label, progress, cancellation);
        return new AdaptiveOne(r.adversarial(), r.shape(), r.label(), r.before(), r.after(), r.sizes(), r.accepted(),
                r.defended(), r.l2(), r.linf(), r.attacked(), r.seconds());
    }

    private static AttackRun run(AttackStage.Result r) {
        AttackStage.Images i = r.images();
        return new AttackRun(r.attack(), String.valueOf(r.params()), i.shape(), i.classNames(), i.originals(),
                i.adversarial(), i.labels(), i.before(), i.after(), i.success(), i.l2(), i.linf(),
                r.summary().successRate(), r.summary().accuracyAfter(), r.summary().seconds(), r.folder());
    }
}
