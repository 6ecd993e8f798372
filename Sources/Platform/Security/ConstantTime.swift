/// Comparisons whose running time does not depend on where the inputs differ.
public enum ConstantTime {
    /// `true` when `a` and `b` hold the same bytes. Leaks only the lengths.
    public static func equals(_ a: some Sequence<UInt8>, _ b: some Sequence<UInt8>) -> Bool {
        let a = Array(a), b = Array(b)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
