/// Shared by every harness: libFuzzer's input as the codecs take it, and a check that turns a broken
/// invariant into a crash libFuzzer records. A thrown parse error is the expected outcome of bad input;
/// a false check is a bug in a codec.

/// The fuzzer's input as a byte array (the codecs parse `[UInt8]`).
func fuzzBytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// Traps with `message` when `condition` is false. Unlike `precondition`, the message survives `-O`,
/// and it names the broken property, which an inlined stack alone does not.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    guard !condition() else { return }
    fatalError("fuzz check failed: \(message())", file: file, line: line)
}
