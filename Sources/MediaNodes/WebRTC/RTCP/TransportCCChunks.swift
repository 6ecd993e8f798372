/// Choosing the packet chunks of a transport-cc message (draft-holmer-rmcat-transport-wide-cc-
/// extensions-01 §3.1.3, §3.1.4): run length chunks for long runs of one symbol, status vectors for
/// mixed stretches, 1-bit ones when no packet needs a large delta.
extension TransportCCFeedback {
    /// The longest run one run length chunk holds (13 bits).
    static let maximumRunLength = 0x1FFF

    /// Encodes `symbols` as chunks, greedily: a run of at least 14 becomes a run length chunk; else
    /// the next 14 in a 1-bit vector if none needs a large delta; else a run of at least 7 becomes a
    /// run length chunk; else the next 7 go in a 2-bit vector. The last vector may hold unused slots,
    /// which the status count tells the reader to ignore.
    static func packetChunks(_ symbols: [Symbol]) -> [UInt16] {
        var chunks: [UInt16] = []
        var index = 0
        while index < symbols.count {
            let run = runLength(in: symbols, from: index)
            let next14 = symbols[index..<min(index + 14, symbols.count)]
            if run >= 14 {
                chunks.append(UInt16(symbols[index].rawValue) << 13 | UInt16(run))
                index += run
            } else if !next14.contains(.largeOrNegativeDelta) {
                chunks.append(statusVector(next14, bitsPerSymbol: 1))
                index += next14.count
            } else if run >= 7 {
                chunks.append(UInt16(symbols[index].rawValue) << 13 | UInt16(run))
                index += run
            } else {
                let next7 = symbols[index..<min(index + 7, symbols.count)]
                chunks.append(statusVector(next7, bitsPerSymbol: 2))
                index += next7.count
            }
        }
        return chunks
    }

    /// How many symbols from `start` on equal the one at `start`, up to a run length chunk's limit.
    private static func runLength(in symbols: [Symbol], from start: Int) -> Int {
        var end = start + 1
        while end < symbols.count, end - start < maximumRunLength, symbols[end] == symbols[start] { end += 1 }
        return end - start
    }

    /// A status vector chunk: T=1, S=0 for fourteen 1-bit symbols or S=1 for seven 2-bit ones,
    /// packed from the most significant bit; missing trailing symbols are zero.
    private static func statusVector(_ symbols: ArraySlice<Symbol>, bitsPerSymbol: Int) -> UInt16 {
        var chunk: UInt16 = bitsPerSymbol == 1 ? 0x8000 : 0xC000
        var shift = 14 - bitsPerSymbol
        for symbol in symbols {
            chunk |= UInt16(symbol.rawValue) << shift
            shift -= bitsPerSymbol
        }
        return chunk
    }
}
