/// Which parameter sets and IDR slices an H.264 RTP payload (RFC 6184) carries: single NAL unit
/// packets, STAP-A aggregates and the starting fragment of FU-A units. The SFU uses it to tell when a
/// subscriber can start decoding (a keyframe) without decoding anything.
struct H264PayloadInfo: Sendable, Equatable {
    /// NAL unit types (ITU-T H.264 Table 7-1) and RTP packetization types (RFC 6184 §5.2) it looks at.
    enum NALUnitType {
        static let idrSlice: UInt8 = 5
        static let sequenceParameterSet: UInt8 = 7
        static let pictureParameterSet: UInt8 = 8
        static let singleTimeAggregation: UInt8 = 24
        static let fragmentationUnit: UInt8 = 28
    }

    private(set) var containsIDR = false
    private(set) var containsSPS = false
    private(set) var containsPPS = false

    /// Whether the packet starts something a decoder can start from: an IDR slice or a sequence
    /// parameter set (which precedes the IDR in the same frame).
    var isKeyframe: Bool { containsIDR || containsSPS }

    /// Inspects an RTP payload. An empty payload (padding) contains nothing; a STAP-A whose unit sizes
    /// overrun it, or a FU-A without its FU header, throws.
    init(parsing payload: ArraySlice<UInt8>) throws(MalformedPacket) {
        guard let header = payload.first else { return }
        switch header & 0x1F {
        case NALUnitType.singleTimeAggregation:
            var index = payload.startIndex + 1
            while index < payload.endIndex {
                guard index + 2 < payload.endIndex else { throw MalformedPacket("STAP-A unit at \(index) has no size or body") }
                let size = Int(UInt16(payload[index]) << 8 | UInt16(payload[index + 1]))
                let unitStart = index + 2
                guard size > 0, unitStart + size <= payload.endIndex else { throw MalformedPacket("STAP-A unit of \(size) bytes overruns the payload") }
                note(payload[unitStart] & 0x1F)
                index = unitStart + size
            }
        case NALUnitType.fragmentationUnit:
            guard payload.count >= 2 else { throw MalformedPacket("FU-A without its FU header") }
            let fuHeader = payload[payload.startIndex + 1]
            if fuHeader & 0x80 != 0 { note(fuHeader & 0x1F) }  // only the start fragment names the type
        case let type:
            note(type)
        }
    }

    /// Records a NAL unit of type `type` found in the payload.
    private mutating func note(_ type: UInt8) {
        switch type {
        case NALUnitType.idrSlice: containsIDR = true
        case NALUnitType.sequenceParameterSet: containsSPS = true
        case NALUnitType.pictureParameterSet: containsPPS = true
        default: break
        }
    }
}
