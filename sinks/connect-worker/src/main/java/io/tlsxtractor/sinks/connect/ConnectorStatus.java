package io.tlsxtractor.sinks.connect;

import java.util.List;

/**
 * What the worker reports about one connector: Connect's states are {@code UNASSIGNED}, {@code RUNNING},
 * {@code PAUSED}, {@code STOPPED}, {@code FAILED}, {@code RESTARTING}.
 *
 * @param name  the connector
 * @param state the connector's own state
 * @param trace the stack trace when the connector failed, else null
 * @param tasks its tasks, by id
 */
public record ConnectorStatus(String name, String state, String trace, List<TaskStatus> tasks) {

    public ConnectorStatus {
        tasks = List.copyOf(tasks);
    }

    /** @param trace the stack trace when the task failed, else null */
    public record TaskStatus(int id, String state, String trace) {
    }

    /** The connector and at least one task run, and no task is in another state. */
    public boolean running() {
        return "RUNNING".equals(state) && !tasks.isEmpty() && tasks.stream().allMatch(t -> "RUNNING".equals(t.state()));
    }

    /** The connector or one of its tasks failed: its trace, else null. */
    public String failure() {
        if ("FAILED".equals(state)) {
            return "connector " + name + " FAILED: " + trace;
        }
        return tasks.stream().filter(t -> "FAILED".equals(t.state()))
                .map(t -> "task " + name + "-" + t.id() + " FAILED: " + t.trace())
                .findFirst().orElse(null);
    }

    public List<String> taskStates() {
        return tasks.stream().map(TaskStatus::state).toList();
    }
}
