/// A user data header (3GPP TS 23.040 §9.2.3.24): information elements at the start of a short message's user
/// data, announced by the UDHI bit.
///
/// In SMPP the header sits at the start of `short_message` (or `message_payload`) and the PDU's `esm_class`
/// carries ``udhiFlag``. It is whole octets, followed directly by the text; with `data_coding` 0 the text
/// is unpacked septets, one per octet, so no fill bits come between.
public struct SMSUserDataHeader: Sendable, Equatable {
    /// The `esm_class` bit saying `short_message` begins with a user data header (SMPP 3.4 §5.2.12, "UDHI
    /// Indicator"). Set it on every part of a concatenated message.
    public static let udhiFlag: UInt8 = 0x40

    /// One information element: an identifier (IEI) and its data, whose length the header encodes.
    public struct InformationElement: Sendable, Equatable {
        /// The information element identifier, e.g. 0x00 for concatenation with an 8-bit reference.
        public var identifier: UInt8
        /// The element's data, at most 255 octets.
        public var data: [UInt8]

        /// An element with `identifier` and `data`.
        public init(identifier: UInt8, data: [UInt8]) {
            self.identifier = identifier
            self.data = data
        }
    }

    /// The elements, in the order they appear.
    public var elements: [InformationElement]

    /// A header of `elements`.
    public init(elements: [InformationElement]) {
        self.elements = elements
    }

    /// A header holding only a concatenation element.
    public init(concatenation: SMSConcatenation) {
        self.init(elements: [concatenation.informationElement])
    }

    /// The header's octets, its length octet (UDHL) first: `05 00 03 <ref> <total> <seq>` for an 8-bit
    /// concatenation element.
    public var bytes: [UInt8] {
        var body: [UInt8] = []
        for element in elements {
            body.append(element.identifier)
            body.append(UInt8(truncatingIfNeeded: element.data.count))
            body.append(contentsOf: element.data)
        }
        return [UInt8(truncatingIfNeeded: body.count)] + body
    }

    /// The header followed by `payload`: a `short_message` to send with ``udhiFlag`` in `esm_class`.
    public func prepended(to payload: some Collection<UInt8>) -> [UInt8] {
        bytes + payload
    }

    /// The first well-formed concatenation element (IEI 0x00 or 0x08), if any.
    public var concatenation: SMSConcatenation? {
        elements.lazy.compactMap(SMSConcatenation.init(informationElement:)).first
    }

    /// Takes the header off the front of `userData`, returning it and the octets after it.
    ///
    /// Throws when the length octet is missing, or the header or one of its elements runs past its end.
    public static func split(
        _ userData: some Collection<UInt8>
    ) throws(SMSUserDataHeaderError) -> (header: SMSUserDataHeader, rest: [UInt8]) {
        let octets = Array(userData)
        guard let length = octets.first else { throw .missingLength }
        let end = 1 + Int(length)
        guard end <= octets.count else { throw .headerPastEnd(length: Int(length), available: octets.count - 1) }
        var elements: [InformationElement] = []
        var index = 1
        while index < end {
            // An element needs its identifier and length octets, then that many data octets, inside the header.
            guard index + 2 <= end else { throw .elementPastEnd(identifier: octets[index]) }
            let identifier = octets[index]
            let dataEnd = index + 2 + Int(octets[index + 1])
            guard dataEnd <= end else { throw .elementPastEnd(identifier: identifier) }
            elements.append(InformationElement(identifier: identifier, data: Array(octets[(index + 2)..<dataEnd])))
            index = dataEnd
        }
        return (SMSUserDataHeader(elements: elements), Array(octets[end...]))
    }
}

/// Why a user data header could not be read.
public enum SMSUserDataHeaderError: Error, Equatable, Sendable {
    /// The UDHI bit was set but the user data is empty.
    case missingLength
    /// The length octet claims more octets than follow it.
    case headerPastEnd(length: Int, available: Int)
    /// An information element runs past the end of the header.
    case elementPastEnd(identifier: UInt8)
}

/// Where one part sits in a concatenated message (TS 23.040 §9.2.3.24.1 and §9.2.3.24.8).
///
/// Every part of a message carries the same reference and total; the sequence numbers them from 1.
public struct SMSConcatenation: Sendable, Hashable {
    /// The identifier of the element with an 8-bit reference.
    public static let eightBitReferenceIdentifier: UInt8 = 0x00
    /// The identifier of the element with a 16-bit reference.
    public static let sixteenBitReferenceIdentifier: UInt8 = 0x08

    /// The number that ties the parts of one message together (0...255 when ``hasSixteenBitReference`` is false).
    public var reference: UInt16
    /// Whether the reference takes two octets (IEI 0x08) rather than one (IEI 0x00).
    public var hasSixteenBitReference: Bool
    /// How many parts the message has, 1...255.
    public var total: UInt8
    /// This part's position, 1...``total``.
    public var sequence: UInt8

    /// A concatenation element with an 8-bit reference, the kind we send.
    public init(reference: UInt8, total: UInt8, sequence: UInt8) {
        self.reference = UInt16(reference)
        self.hasSixteenBitReference = false
        self.total = total
        self.sequence = sequence
    }

    /// A concatenation element with a 16-bit reference.
    public init(sixteenBitReference reference: UInt16, total: UInt8, sequence: UInt8) {
        self.reference = reference
        self.hasSixteenBitReference = true
        self.total = total
        self.sequence = sequence
    }

    /// The concatenation that `element` describes, or `nil` when it is another kind of element, has the wrong
    /// length, or numbers parts impossibly (a total of 0, a sequence of 0 or past the total), which
    /// TS 23.040 says to ignore.
    public init?(informationElement element: SMSUserDataHeader.InformationElement) {
        let data = element.data
        switch (element.identifier, data.count) {
        case (Self.eightBitReferenceIdentifier, 3):
            self.init(reference: data[0], total: data[1], sequence: data[2])
        case (Self.sixteenBitReferenceIdentifier, 4):
            self.init(sixteenBitReference: UInt16(data[0]) << 8 | UInt16(data[1]), total: data[2], sequence: data[3])
        default:
            return nil
        }
        guard total >= 1, (1...total).contains(sequence) else { return nil }
    }

    /// This concatenation as an information element, the reference big-endian when it takes two octets.
    public var informationElement: SMSUserDataHeader.InformationElement {
        if hasSixteenBitReference {
            return .init(
                identifier: Self.sixteenBitReferenceIdentifier,
                data: [UInt8(reference >> 8), UInt8(truncatingIfNeeded: reference), total, sequence]
            )
        }
        return .init(
            identifier: Self.eightBitReferenceIdentifier,
            data: [UInt8(truncatingIfNeeded: reference), total, sequence]
        )
    }
}
