import Platform
import Testing

@testable import MediaNodes

@Suite struct MediaStreamWriterTests {
    static let account = "AC0123456789abcdef0123456789abcdef"
    static let stream = "MZ00112233445566778899aabbccddeeff"
    static let room = "RM0123456789abcdef0123456789abcdef"
    static let participant = "PAfedcba9876543210fedcba9876543210"

    private func writer(
        tracks: [MediaStreamDescription.Track] = [.inbound], parameters: [(name: String, value: String)] = [],
        format: MediaStreamDescription.Format = .muLaw
    ) -> MediaStreamWriter {
        MediaStreamWriter(stream: MediaStreamDescription(
            accountSid: SID(Self.account)!, streamSid: SID(Self.stream)!, roomSid: SID(Self.room)!,
            participantSid: SID(Self.participant)!, tracks: tracks, customParameters: parameters, format: format))
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// The payload of 160 μ-law bytes of silence (0xFF): 53 groups of three bytes and one left over.
    private let silencePayload = String(repeating: "////", count: 53) + "/w=="

    @Test func connected() {
        #expect(text(writer().connected()) == #"{"event":"connected","protocol":"Call","version":"1.0.0"}"#)
    }

    @Test func startForAMuLawStream() {
        var writer = writer(parameters: [("FirstName", "Jane")])
        #expect(text(writer.start()) == """
            {"event":"start","sequenceNumber":"1","start":{"accountSid":"\(Self.account)","streamSid":"\(Self.stream)",\
            "callSid":null,"roomSid":"\(Self.room)","participantSid":"\(Self.participant)","tracks":["inbound"],\
            "customParameters":{"FirstName":"Jane"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},\
            "streamSid":"\(Self.stream)"}
            """)
    }

    @Test func startForBothTracksInBinaryModeKeepsTheParametersInOrderAndEscaped() {
        var writer = writer(
            tracks: [.inbound, .outbound], parameters: [("Zeta", "say \"hi\""), ("Alpha", "2")], format: .linear16(sampleRate: 16000))
        #expect(text(writer.start()) == """
            {"event":"start","sequenceNumber":"1","start":{"accountSid":"\(Self.account)","streamSid":"\(Self.stream)",\
            "callSid":null,"roomSid":"\(Self.room)","participantSid":"\(Self.participant)","tracks":["inbound","outbound"],\
            "customParameters":{"Zeta":"say \\"hi\\"","Alpha":"2"},\
            "mediaFormat":{"encoding":"audio/x-l16","sampleRate":16000,"channels":2,"byteOrder":"little-endian"}},\
            "streamSid":"\(Self.stream)"}
            """)
    }

    @Test func startForTheOutboundTrackWithoutParameters() {
        var writer = writer(tracks: [.outbound])
        let start = text(writer.start())
        #expect(start.contains(#""tracks":["outbound"],"customParameters":{},"mediaFormat""#))
    }

    @Test func media() {
        var writer = writer()
        _ = writer.start()
        #expect(text(writer.media(track: .inbound, samples: [Int16](repeating: 0, count: 160))) == """
            {"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"0",\
            "payload":"\(silencePayload)"},"streamSid":"\(Self.stream)"}
            """)
    }

    @Test func mark() {
        var writer = writer()
        _ = writer.start()
        #expect(text(writer.mark(name: "greeting")) == """
            {"event":"mark","sequenceNumber":"2","streamSid":"\(Self.stream)","mark":{"name":"greeting"}}
            """)
    }

    @Test func stop() {
        var writer = writer()
        _ = writer.start()
        #expect(text(writer.stop()) == """
            {"event":"stop","sequenceNumber":"2","streamSid":"\(Self.stream)","stop":{"accountSid":"\(Self.account)",\
            "callSid":null,"roomSid":"\(Self.room)","participantSid":"\(Self.participant)"}}
            """)
    }

    @Test func countersAdvanceOverAStream() {
        var writer = writer(tracks: [.inbound, .outbound])
        let silence = [Int16](repeating: 0, count: 160)
        _ = writer.connected()
        _ = writer.start()
        var messages: [String] = []
        for _ in 0..<3 {
            messages.append(text(writer.media(track: .inbound, samples: silence)))
            messages.append(text(writer.media(track: .outbound, samples: silence)))
        }
        messages.append(text(writer.mark(name: "m")))
        messages.append(text(writer.stop()))
        let expected = [
            ("2", "inbound", "1", "0"), ("3", "outbound", "1", "0"),
            ("4", "inbound", "2", "20"), ("5", "outbound", "2", "20"),
            ("6", "inbound", "3", "40"), ("7", "outbound", "3", "40"),
        ]
        for (message, (sequence, track, chunk, timestamp)) in zip(messages, expected) {
            #expect(message.hasPrefix(#"{"event":"media","sequenceNumber":"\#(sequence)","media":{"track":"\#(track)","chunk":"\#(chunk)","timestamp":"\#(timestamp)","#))
        }
        #expect(messages[6].hasPrefix(#"{"event":"mark","sequenceNumber":"8","#))
        #expect(messages[7].hasPrefix(#"{"event":"stop","sequenceNumber":"9","#))
    }

    @Test func largeCountersAreWrittenInFull() {
        var writer = writer()
        let silence = [Int16](repeating: 0, count: 160)
        for _ in 0..<1009 { _ = writer.media(track: .inbound, samples: silence) }
        #expect(text(writer.media(track: .inbound, samples: silence)).hasPrefix(
            #"{"event":"media","sequenceNumber":"1010","media":{"track":"inbound","chunk":"1010","timestamp":"20180","#))
    }

    @Test func thePayloadIsTheBase64OfTheFramesMuLaw() throws {
        var writer = writer()
        let samples = TestTone.sine(frequency: 440, sampleRate: 8000, count: 160)
        let message = text(writer.media(track: .inbound, samples: samples))
        var codes: [UInt8] = []
        MuLaw.encode(samples, appendingTo: &codes)
        let payload = try #require(message.split(separator: "\"payload\":\"").last?.split(separator: "\"").first)
        #expect(ConsumerMessage.parse(Array(#"{"event":"media","streamSid":"\#(Self.stream)","media":{"payload":"\#(payload)"}}"#.utf8), streamSid: Self.stream)
            == .media(muLaw: codes))
    }
}
