import ArgumentParser
import Foundation
import Platform

struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Administer accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a main account and print its credentials.")

        @Option(help: "The account's friendly name.") var friendlyName: String
        @Flag(help: "Print {\"sid\":…,\"auth_token\":…} instead of text.") var json = false
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard friendlyName.count <= FriendlyName.maximumLength else {
                throw ValidationError("--friendly-name is at most \(FriendlyName.maximumLength) characters")
            }
        }

        func run() async throws {
            let logger = CommandLogging.bootstrap(defaultLevel: .warning)
            let secrets = try MasterKey.load(environment: ProcessInfo.processInfo.environment, dataDirectory: database.dataDirectory)
            let name = friendlyName
            let account = try await database.withMigratedDatabase(logger: logger) { db in
                try await secrets.verify(against: db, logger: logger)
                return try await AccountRepository(database: db, secrets: secrets, outbox: EventOutbox(signal: DeliverySignal())).create(parent: nil, friendlyName: name, logger: logger)
            }
            if json {
                var json = JSONObjectWriter()
                json.field("sid", account.sid.rawValue)
                json.field("auth_token", account.authToken)
                print(String(decoding: json.finished(), as: UTF8.self))
            } else {
                print("Account \(account.sid) (\(account.friendlyName))\nAuth token: \(account.authToken)")
            }
        }
    }
}
