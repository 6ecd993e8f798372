import Platform
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalSequencesAreEqual() {
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(ConstantTime.equals(Array("secret".utf8), "secret".utf8))
    }

    @Test func differenceAnywhereIsNoticed() {
        let base = [UInt8](repeating: 0x5a, count: 32)
        for index in base.indices {
            for bit in 0..<8 {
                var other = base
                other[index] ^= UInt8(1) << bit
                #expect(!ConstantTime.equals(base, other), "index \(index) bit \(bit)")
            }
        }
    }

    @Test func differentLengthsAreUnequal() {
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([UInt8](), [0] as [UInt8]))
        // A prefix is not a match.
        #expect(!ConstantTime.equals("token".utf8, "token\0".utf8))
    }
}
