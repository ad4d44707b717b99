package org.multimagnet.sweep;

import java.util.Map;
import org.multimagnet.common.UserException;

/**
 * Which task a process runs: the index given, else the scheduler's array index: Slurm's
 * {@code SLURM_ARRAY_TASK_ID}, else Kubernetes' {@code JOB_COMPLETION_INDEX} (an Indexed Job).
 */
public final class ArrayIndex {
    /** Set by Slurm in each task of a job array. */
    public static final String SLURM = "SLURM_ARRAY_TASK_ID";
    /** Set by Kubernetes in each pod of an Indexed Job. */
    public static final String KUBERNETES = "JOB_COMPLETION_INDEX";

    private ArrayIndex() {
    }

    /**
     * @param given       the index the user gave, or null
     * @param environment the process's environment
     * @return the index
     * @throws UserException when none is given or set, or the variable is not a whole number ≥ 0
     */
    public static int resolve(Integer given, Map<String, String> environment) {
        if (given != null) {
            if (given < 0) {
                throw new UserException("--index " + given + ": expected a task index ≥ 0");
            }
            return given;
        }
        for (String name : new String[] {SLURM, KUBERNETES}) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                try {
                    int i = Integer.parseInt(value.trim());
                    if (i >= 0) {
                        return i;
                    }
                } catch (NumberFormatException e) {
                    // told below, with the variable's name
                }
                throw new UserException(name + "=" + value + ": expected a task index ≥ 0");
            }
        }
        throw new UserException("no task index: give --index I, or run inside a Slurm job array (" + SLURM
                + ") or a Kubernetes Indexed Job (" + KUBERNETES + ")");
    }
}
