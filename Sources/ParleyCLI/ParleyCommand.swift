import ArgumentParser

/// `parley`: run the gateway and administer its database.
@main
struct ParleyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parley",
        abstract: "Parley: a self-hosted, Twilio-compatible communications platform.",
        subcommands: [ServeCommand.self, MediaNodeCommand.self, MigrateCommand.self, AccountsCommand.self, NumbersCommand.self, LoadgenCommand.self])
}
