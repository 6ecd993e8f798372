import ArgumentParser
import Foundation
import Messaging
import Platform

struct NumbersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "numbers", abstract: "Administer the operator's phone number inventory.", subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Load carrier numbers from a CSV file; importing the same file again changes nothing.",
            discussion: """
                The first row names the columns, in any order. Required: phone_number (E.164), iso_country \
                (two letters), type (local, toll-free, mobile), capabilities (voice;sms;mms). Optional: region, \
                locality, postal_code, connection (the carrier connection; default sandbox), sms_rate (segments a \
                second; default 1, 3 for toll-free). A file with any bad row loads nothing.
                """)

        @Argument(help: "The CSV file.") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let logger = CommandLogging.bootstrap(defaultLevel: .warning)
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read \(file): \(error.localizedDescription)")
            }
            let numbers: [InventoryNumber]
            do {
                numbers = try NumberInventoryFile.parse(text)
            } catch {
                throw ValidationError("\(file): \(error)")
            }
            let summary = try await database.withMigratedDatabase(logger: logger) { db in
                try await NumberInventoryRepository(database: db).load(numbers, logger: logger)
            }
            print("\(numbers.count) numbers in \(file): \(summary.added) added, \(summary.updated) updated, \(summary.unchanged) unchanged")
        }
    }
}
