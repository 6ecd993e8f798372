import ArgumentParser
import Platform

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = CommandLogging.bootstrap(defaultLevel: .info)
        try await database.withMigratedDatabase(logger: logger) { _ in }
    }
}
