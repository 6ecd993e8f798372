import Platform
import Testing

@Suite struct RandomTokenTests {
    @Test(arguments: [0, 1, 16, 32])
    func hexHasTwoLowercaseDigitsPerByte(_ bytes: Int) {
        let token = RandomToken.hex(byteCount: bytes)
        #expect(token.count == bytes * 2)
        #expect(token.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test(arguments: [0, 1, 32, 100])
    func alphanumericHasTheRequestedLength(_ length: Int) {
        let token = RandomToken.alphanumeric(length: length)
        #expect(token.count == length)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    }

    @Test func tokensDifferAndUseTheWholeAlphabet() {
        let hex = Set((0..<200).map { _ in RandomToken.hex(byteCount: 16) })
        #expect(hex.count == 200)
        // 200 × 32 characters: every hex digit shows up.
        #expect(Set(hex.joined()).count == 16)
        let alphanumeric = (0..<200).map { _ in RandomToken.alphanumeric(length: 32) }
        #expect(Set(alphanumeric).count == 200)
        #expect(Set(alphanumeric.joined()).count == 62)
    }
}
