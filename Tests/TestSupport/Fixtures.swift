import Foundation
import Platform

/// Building blocks shared by the test suites.
public enum Fixtures {
    /// A fixed master key, so tests are repeatable.
    public static let secrets: SecretBox = try! SecretBox(keyBytes: [UInt8](repeating: 7, count: 32))
    /// An outbox whose wakes nobody waits for (dispatchers under test get their own).
    public static let outbox = EventOutbox(signal: DeliverySignal())
}
