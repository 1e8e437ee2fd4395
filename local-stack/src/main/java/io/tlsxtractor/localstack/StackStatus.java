package io.tlsxtractor.localstack;

import java.util.List;
import java.util.Optional;

/** The services of the developer stack; empty when nothing is recorded. */
public record StackStatus(List<ServiceStatus> services) {

    public StackStatus {
        services = List.copyOf(services);
    }

    public Optional<ServiceStatus> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Whether the stack has services and every one of them runs. */
    public boolean allRunning() {
        return !services.isEmpty() && services.stream().allMatch(ServiceStatus::running);
    }
}
