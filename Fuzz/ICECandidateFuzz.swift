/// libFuzzer harness for `a=candidate` values: text either fails to parse or parses into a candidate whose
/// description parses back equal; an IP literal address formats and parses back to the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = IPAddressText.parse(text)
    guard let candidate = try? ICECandidate(parsing: text) else { return 0 }
    do {
        let reparsed = try ICECandidate(parsing: candidate.description)
        fuzzCheck(reparsed == candidate, "re-parsed candidate differs: \(candidate.description)")
    } catch {
        fuzzCheck(false, "a candidate's description does not parse: \(error) \(candidate.description)")
    }
    if let address = candidate.transportAddress {
        fuzzCheck(address.ip.count == 4 || address.ip.count == 16, "IP of \(address.ip.count) bytes from \(candidate.address)")
        fuzzCheck(IPAddressText.parse(address.host) == address.ip, "\(candidate.address) formats as \(address.host), which reads differently")
    }
    return 0
}
