import APIGateway
import Platform
import TestSupport
import Testing

/// Background services end when their group cancels them (as it does when another service fails).
@Suite struct MaintenanceServiceTests {
    @Test(.timeLimit(.minutes(1))) func endsPromptlyWhenCancelled() async throws {
        try await TestDatabase.withFresh { database in
            let service = MaintenanceService(idempotency: IdempotencyStore(database: database), logger: TestDatabase.logger)
            let started = ContinuousClock.now
            let task = Task { try await service.run() }
            try await Task.sleep(for: .milliseconds(50))
            task.cancel()
            try await task.value
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }
}
