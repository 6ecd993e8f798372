/// Twilio's webhook connection overrides: timeouts and immediate retries a customer sets per URL in its
/// fragment, e.g. `https://example.com/hook#ct=1000&rc=2&rp=5xx`. The fragment is never sent and is not
/// part of the signed URL.
public struct ConnectionOverrides: Sendable, Equatable {
    /// Which failures an in-attempt retry (`rc`) repeats; the raw values are Twilio's `rp` spellings.
    public enum RetryReason: String, Sendable, Hashable, CaseIterable {
        /// `ct`: the connection could not be made.
        case connect = "ct"
        /// `rt`: connected, but the response did not arrive within the read or total time.
        case read = "rt"
        /// `4xx`: the server answered with a 4xx status.
        case status4xx = "4xx"
        /// `5xx`: the server answered with a 5xx status.
        case status5xx = "5xx"
        /// `all`: any failure or any status but 2xx.
        case all
    }

    /// `ct`: longest wait for the TCP (and TLS) connection, 100 ms to 10 s.
    public var connectTimeout: Duration
    /// `rt`: longest wait for the next bytes of the response once connected, 100 ms to 15 s.
    public var readTimeout: Duration
    /// `tt`: longest the whole send may take, in-attempt retries included, 100 ms to 15 s.
    public var totalTimeout: Duration
    /// `rc`: how many times a failed request is repeated at once, within the same attempt, 0 to 5.
    public var retryCount: Int
    /// `rp`: which failures those repeats are for.
    public var retryPolicy: Set<RetryReason>

    public init(
        connectTimeout: Duration = .milliseconds(5000), readTimeout: Duration = .milliseconds(15000),
        totalTimeout: Duration = .milliseconds(15000), retryCount: Int = 0, retryPolicy: Set<RetryReason> = [.connect]
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.retryCount = retryCount
        self.retryPolicy = retryPolicy
    }

    /// Twilio's defaults: what a URL without a fragment gets.
    public static let standard = ConnectionOverrides()

    /// Splits `https://h/p?q#ct=1000&rc=2` into the URL to request and sign (without the fragment) and
    /// the overrides. An empty or absent fragment gives ``standard``. Unknown keys, repeated keys and
    /// out-of-range values throw ``EgressError/invalidURL(_:)`` with the reason.
    public static func parse(_ url: String) throws -> (url: String, overrides: ConnectionOverrides) {
        guard let hash = url.firstIndex(of: "#") else { return (url, .standard) }
        var overrides = ConnectionOverrides.standard
        var seen: Set<Substring> = []
        // Empty pieces (`#`, `#ct=1000&`) are tolerated: they say nothing.
        for pair in url[url.index(after: hash)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0]
            guard parts.count == 2 else { throw invalid("\"\(key)\" has no value (expected key=value)") }
            guard seen.insert(key).inserted else { throw invalid("\"\(key)\" is given twice") }
            let value = parts[1]
            switch key {
            case "ct": overrides.connectTimeout = try milliseconds(key, value, 100...10000)
            case "rt": overrides.readTimeout = try milliseconds(key, value, 100...15000)
            case "tt": overrides.totalTimeout = try milliseconds(key, value, 100...15000)
            case "rc": overrides.retryCount = try number(key, value, 0...5)
            case "rp": overrides.retryPolicy = try retryPolicy(value)
            default:
                throw invalid("unknown connection override \"\(key)\" (known: ct, rt, tt, rc, rp)")
            }
        }
        return (String(url[..<hash]), overrides)
    }

    private static func number(_ key: Substring, _ value: Substring, _ range: ClosedRange<Int>) throws -> Int {
        guard (1...6).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(value), range.contains(number)
        else { throw invalid("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return number
    }

    private static func milliseconds(_ key: Substring, _ value: Substring, _ range: ClosedRange<Int>) throws -> Duration {
        .milliseconds(try number(key, value, range))
    }

    private static func retryPolicy(_ value: Substring) throws -> Set<RetryReason> {
        let reasons = try value.split(separator: ",", omittingEmptySubsequences: false).map { name in
            guard let reason = RetryReason(rawValue: String(name)) else {
                throw invalid("rp must list ct, rt, 4xx, 5xx or all, comma-separated (got \"\(name)\")")
            }
            return reason
        }
        return Set(reasons)
    }

    private static func invalid(_ reason: String) -> EgressError {
        .invalidURL("URL fragment (connection overrides): \(reason)")
    }
}
