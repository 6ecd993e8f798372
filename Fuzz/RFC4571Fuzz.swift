/// libFuzzer harness for the RFC 4571 framer: however TCP cuts the stream, the framer returns the same
/// frames (and fails at the same point) as when it gets the stream in one piece. The input's first byte
/// seeds the cut sizes; the rest is the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = fuzzBytes(data, size)
    guard let seed = input.first else { return 0 }
    let stream = Array(input.dropFirst())
    let limit = 1500

    var whole = RFC4571Framer(maximumFrameLength: limit)
    let wholeResult = Result { () throws(RFC4571Framer.FrameTooLarge) in try whole.append(stream) }

    var chunked = RFC4571Framer(maximumFrameLength: limit)
    var frames: [[UInt8]] = []
    var failure: RFC4571Framer.FrameTooLarge?
    var offset = 0
    var cut = Int(seed)
    while offset < stream.count, failure == nil {
        let end = min(stream.count, offset + Int(UInt(bitPattern: cut) % 7) + 1)  // chunks of 1...7 bytes, varied by the seed
        do {
            frames += try chunked.append(Array(stream[offset..<end]))
        } catch {
            failure = error
        }
        offset = end
        cut = cut &* 31 &+ 7
    }
    switch wholeResult {
    case .success(let wholeFrames):
        fuzzCheck(failure == nil && frames == wholeFrames, "chunked framing differs from whole framing")
        fuzzCheck(chunked.bufferedByteCount == whole.bufferedByteCount, "chunked framing buffers a different tail")
        fuzzCheck(wholeFrames.allSatisfy { !$0.isEmpty && $0.count <= limit }, "a frame is empty or over the limit")
    case .failure(let error):
        fuzzCheck(failure == error, "chunked framing did not fail like whole framing")
        fuzzCheck((try? chunked.append([0, 0])) == nil, "a failed framer accepted more bytes")
    }
    return 0
}
