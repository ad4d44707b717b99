package org.multimagnet.workspace;

import java.nio.file.Path;
import org.multimagnet.common.UserException;
import org.multimagnet.data.Dataset;

/**
 * The test set D = D_leg ∪ D_atk of one attack (paper §5.1) as pairs: D_leg[i] is the dataset image the attack set's
 * image i was made from (its source index), D_atk[i] that image attacked. Every reader of D goes through here, so
 * that the pairing and its checks against the dataset are made once.
 *
 * @param attackSet   D_atk as saved by {@code attack --split test}
 * @param legitimate  D_leg, in the attack set's order
 * @param adversarial D_atk, with the labels of their sources
 */
public record TestPairs(AttackSet attackSet, Dataset legitimate, Dataset adversarial) {

    /**
     * Reads D_atk of {@code attack} and pairs it with its sources in {@code dataset}.
     *
     * @param workspace the workspace folder W
     * @param dataset   the workspace's full dataset
     * @throws UserException when the attack set is missing (naming the command that makes it), or was made from
     *                       images of another shape or from indices outside the dataset (naming its manifest)
     */
    public static TestPairs load(Path workspace, String attack, Dataset dataset) {
        Path dir = AttackSetStore.folder(workspace, attack, AttackSets.TEST);
        if (!java.nio.file.Files.isRegularFile(FolderSwap.readable(dir).resolve(AttackSetStore.MANIFEST))) {
            throw new UserException(dir + ": no D_atk for attack '" + attack + "'; run 'attack --workspace "
                    + workspace + " --attack " + attack + " --split test' first");
        }
        return of(AttackSetStore.load(dir), dataset);
    }

    /**
     * Pairs a D_atk already read, wherever it was saved, with its sources in {@code dataset}.
     *
     * @throws UserException when the set was made from images of another shape or from indices outside the dataset,
     *                       naming its manifest
     */
    public static TestPairs of(AttackSet atk, Dataset dataset) {
        int[] source = atk.manifest().sourceIndices();
        Path manifest = atk.folder().resolve(AttackSetStore.MANIFEST);
        if (!atk.manifest().shape().equals(dataset.shape())) {
            throw UserException.badFile(manifest, "images of " + atk.manifest().shape() + ", but the workspace's "
                    + "dataset has " + dataset.shape());
        }
        for (int j = 0; j < source.length; j++) {
            if (source[j] < 0 || source[j] >= dataset.size()) {
                throw UserException.badFile(manifest, "sourceIndices[" + j + "] = " + source[j] + " is outside the "
                        + "dataset's " + dataset.size() + " images");
            }
        }
        Dataset dAtk = new Dataset(dataset.name(), "attack set", dataset.shape(), atk.images(), atk.labels(),
                dataset.classNames(), -1);
        return new TestPairs(atk, dataset.subset(source), dAtk);
    }

    /** @return the number of pairs, |D_leg| = |D_atk| */
    public int size() {
        return legitimate.size();
    }

    /** @return only the pairs {@code kept}, in that order */
    public TestPairs subset(int[] kept) {
        return new TestPairs(attackSet, legitimate.subset(kept), adversarial.subset(kept));
    }
}
