import Foundation

/// The SDP answer a node gives until its WebRTC engine exists: every media section of the offer is
/// declined (port 0, `inactive`), in the offer's order and with its `mid`s, so a browser's offer/answer
/// exchange completes cleanly and no media flows. The signaling around it (tracks, subscriptions, mute) is
/// real; the WebRTC issue replaces this with a real answer.
enum DecliningAnswer {
    static func answer(to offer: String) throws(SignalingError) -> String {
        let lines = offer.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).map(String.init)
        guard lines.first == "v=0" else { throw SignalingError(id: nil, code: 53404, message: "The SDP offer must start with v=0") }
        var answer = ["v=0", "o=- \(UInt64.random(in: 1...UInt64(Int64.max))) 2 IN IP4 0.0.0.0", "s=-", "t=0 0"]
        var sections = 0
        for line in lines {
            if line.hasPrefix("m=") {
                let fields = line.dropFirst(2).split(separator: " ")
                guard fields.count >= 4 else { throw SignalingError(id: nil, code: 53404, message: "Malformed media line: \(line)") }
                answer += ["m=\(fields[0]) 0 \(fields[2]) \(fields[3])", "c=IN IP4 0.0.0.0", "a=inactive"]
                sections += 1
            } else if line.hasPrefix("a=mid:"), sections > 0 {
                answer.append(line)
            }
        }
        guard sections > 0 else { throw SignalingError(id: nil, code: 53404, message: "The SDP offer has no media section") }
        return answer.joined(separator: "\r\n") + "\r\n"
    }
}
