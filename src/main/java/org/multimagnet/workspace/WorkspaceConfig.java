package org.multimagnet.workspace;

/**
 * {@code W/workspace.json}: which dataset a workspace studies, how it is split, and its seed.
 *
 * @param dataset   the dataset source ({@code sample:mnist}, a path, ...) for {@code data.DatasetSources.load}
 * @param splitRule the split rule, as {@code data.Splits.paper} describes it (filled in once the dataset is read)
 * @param seed      the workspace seed; models and draws derive theirs from it
 */
public record WorkspaceConfig(String dataset, String splitRule, long seed) {
}
