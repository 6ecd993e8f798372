import Foundation
import Testing

@testable import MediaNodes

@Suite struct Base64Tests {
    @Test func matchesFoundationForEveryRemainder() {
        var generator = SystemRandomNumberGenerator()
        for count in Array(0...20) + [159, 160, 161, 320, 1000] {
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            var output: [UInt8] = []
            Base64.append(bytes, to: &output)
            #expect(String(decoding: output, as: UTF8.self) == Data(bytes).base64EncodedString(), "\(count) bytes")
            #expect(output.count == Base64.encodedCount(of: count))
        }
    }

    @Test func rfc4648Vectors() {
        for (input, expected) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")] {
            var output: [UInt8] = []
            Base64.append(Array(input.utf8), to: &output)
            #expect(String(decoding: output, as: UTF8.self) == expected)
        }
    }

    @Test func appendsAfterWhatIsAlreadyThere() {
        var output = Array("x:".utf8)
        Base64.append([0xFF, 0xFE], to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "x://4=")
    }
}
