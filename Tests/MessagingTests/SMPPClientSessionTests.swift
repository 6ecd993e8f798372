import NIOCore
import Testing

@testable import Messaging

/// The ESME session state machine driven with bytes and instants: binding, the submit window, throttling,
/// keep-alives and timeouts, the SMSC's requests, and hand-back on connection loss.
@Suite struct SMPPClientSessionTests {
    private typealias Session = SMPPClientSession<String>

    private let start = ContinuousClock.now

    private func at(milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }
    private func at(seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    private func makeSession(window: Int = 10) throws -> Session {
        try Session(configuration: SMPPClientConfiguration(systemID: "parley", password: "secret", systemType: "CPAAS", windowSize: window))
    }

    /// A session whose bind was accepted at `start`.
    private func boundSession(window: Int = 10) throws -> Session {
        var session = try makeSession(window: window)
        let bind = try #require(try sent(session.connected(now: start)).first)
        let accepted = try wire(.bindTransceiverResp(SMPPBindResponse(systemID: "SMSC")), bind.sequenceNumber)
        #expect(session.received(accepted, now: start) == [.bound(systemID: "SMSC")])
        return session
    }

    /// The PDUs in the `.send` actions, in order.
    private func sent(_ actions: [Session.Action]) throws -> [SMPPPDU] {
        var decoder = SMPPFrameDecoder()
        var pdus: [SMPPPDU] = []
        for case .send(let buffer) in actions {
            decoder.feed(buffer)
            while let next = try decoder.next() { pdus.append(try next.get()) }
        }
        #expect(decoder.bufferedByteCount == 0, "every send is whole PDUs")
        return pdus
    }

    /// The actions other than `.send`.
    private func notices(_ actions: [Session.Action]) -> [Session.Action] {
        actions.filter { if case .send = $0 { false } else { true } }
    }

    /// The local ids of the submit_sm sent (each message's destination is its id).
    private func submittedIDs(_ pdus: [SMPPPDU]) -> [String] {
        pdus.compactMap { if case .submitSM(let message) = $0.body { message.destination.address } else { nil } }
    }

    private func wire(_ body: SMPPPDU.Body, _ sequenceNumber: UInt32, status: SMPPCommandStatus = .ok) throws -> ByteBuffer {
        try SMPPPDU(body, sequenceNumber: sequenceNumber, status: status).encoded()
    }

    private func message(to id: String) -> SMPPShortMessage {
        SMPPShortMessage(destination: SMPPAddress(ton: 1, npi: 1, address: id), registeredDelivery: 1, shortMessage: Array("hi".utf8))
    }

    /// Submits each id at `now` and returns the submit_sm sent, keyed by id.
    private func submit(_ ids: [String], to session: inout Session, now: ContinuousClock.Instant) throws -> [String: UInt32] {
        var sequenceNumbers: [String: UInt32] = [:]
        for id in ids {
            for pdu in try sent(session.submit(message(to: id), id: id, now: now)) {
                sequenceNumbers[submittedIDs([pdu])[0]] = pdu.sequenceNumber
            }
        }
        return sequenceNumbers
    }

    private func respond(
        _ sequenceNumber: UInt32?, status: SMPPCommandStatus = .ok, messageID: String = "", to session: inout Session,
        now: ContinuousClock.Instant
    ) throws -> [Session.Action] {
        session.received(try wire(.submitSMResp(messageID: messageID), try #require(sequenceNumber), status: status), now: now)
    }

    // MARK: Binding

    @Test func bindsFirstAndSubmitsNothingBeforeTheBindResponse() throws {
        var session = try makeSession()
        #expect(try session.submit(message(to: "A"), id: "A", now: start).isEmpty)
        let bind = try sent(session.connected(now: start))
        #expect(bind == [SMPPPDU(.bindTransceiver(SMPPBindRequest(systemID: "parley", password: "secret", systemType: "CPAAS")), sequenceNumber: 1)])
        #expect(try session.submit(message(to: "B"), id: "B", now: start).isEmpty)
        #expect(!session.isBound && session.queuedCount == 2)

        let actions = session.received(try wire(.bindTransceiverResp(SMPPBindResponse(systemID: "SMSC")), 1), now: start)
        #expect(notices(actions) == [.bound(systemID: "SMSC")])
        #expect(actions.first == .bound(systemID: "SMSC"))
        #expect(submittedIDs(try sent(actions)) == ["A", "B"])
        #expect(session.isBound && session.inFlightCount == 2 && session.queuedCount == 0)
    }

    @Test func aRefusedBindIsReportedAndClosesTheConnection() throws {
        var session = try makeSession()
        _ = try session.submit(message(to: "A"), id: "A", now: start)
        _ = session.connected(now: start)
        let actions = session.received(try wire(.bindTransceiverResp(SMPPBindResponse(systemID: "")), 1, status: .invalidPassword), now: start)
        #expect(actions == [.bindFailed(.invalidPassword), .closeConnection(.bindFailed(.invalidPassword))])
        #expect(session.received(try wire(.enquireLink, 5), now: start).isEmpty, "nothing is answered once closing")
        #expect(session.disconnected() == [.connectionLost(unacknowledged: ["A"])])

        _ = session.connected(now: start)
        let nacked = session.received(try wire(.genericNack, 2, status: .invalidCommandID), now: start)
        #expect(nacked == [.bindFailed(.invalidCommandID), .closeConnection(.bindFailed(.invalidCommandID))])
    }

    @Test func credentialsThatDoNotFitAreRefusedUpFront() throws {
        #expect(throws: SMPPEncodingError.self) {
            try Session(configuration: SMPPClientConfiguration(systemID: "a-system-id-too-long", password: "pw"))
        }
        var session = try boundSession()
        #expect(throws: SMPPEncodingError.self) {
            try session.submit(SMPPShortMessage(shortMessage: Array(repeating: 0, count: 300)), id: "X", now: start)
        }
        #expect(session.queuedCount == 0 && session.inFlightCount == 0)
    }

    // MARK: The window

    @Test func atMostWindowSubmissionsAwaitTheirResponses() throws {
        var session = try boundSession(window: 3)
        let sequenceNumbers = try submit(["A", "B", "C", "D", "E"], to: &session, now: start)
        #expect(sequenceNumbers.keys.sorted() == ["A", "B", "C"])
        #expect(session.inFlightCount == 3 && session.queuedCount == 2)

        let afterB = try respond(sequenceNumbers["B"], messageID: "m-B", to: &session, now: at(seconds: 1))
        #expect(notices(afterB) == [.submitted("B", messageID: "m-B")])
        #expect(submittedIDs(try sent(afterB)) == ["D"])

        let afterA = try respond(sequenceNumbers["A"], status: .invalidDestinationAddress, to: &session, now: at(seconds: 1))
        #expect(notices(afterA) == [.submitFailed("A", .invalidDestinationAddress)])
        #expect(submittedIDs(try sent(afterA)) == ["E"])
        #expect(session.inFlightCount == 3 && session.queuedCount == 0)
    }

    // MARK: Throttling

    @Test func throttlingRequeuesAtTheFrontAndDoublesThePauseUntilASuccess() throws {
        var session = try boundSession(window: 2)
        var sequenceNumbers = try submit(["A", "B", "C"], to: &session, now: start)

        let throttled = try respond(sequenceNumbers["A"], status: .throttled, to: &session, now: at(milliseconds: 100))
        #expect(throttled == [.throttled("A", .throttled, retryAfter: .seconds(1))], "the window has room, but sending pauses")
        #expect(try respond(sequenceNumbers["B"], messageID: "m-B", to: &session, now: at(milliseconds: 200)) == [.submitted("B", messageID: "m-B")])
        #expect(session.nextDeadline == at(milliseconds: 1100))
        #expect(session.tick(now: at(milliseconds: 1099)).isEmpty)

        var resumed = try sent(session.tick(now: at(milliseconds: 1100)))
        #expect(submittedIDs(resumed) == ["A", "C"])
        sequenceNumbers = Dictionary(uniqueKeysWithValues: zip(submittedIDs(resumed), resumed.map(\.sequenceNumber)))

        // Throttled again after resuming: twice the pause. A throttle during that pause does not extend it.
        let again = try respond(sequenceNumbers["A"], status: .messageQueueFull, to: &session, now: at(milliseconds: 1200))
        #expect(again == [.throttled("A", .messageQueueFull, retryAfter: .seconds(2))])
        let during = try respond(sequenceNumbers["C"], status: .throttled, to: &session, now: at(milliseconds: 1300))
        #expect(during == [.throttled("C", .throttled, retryAfter: .milliseconds(1900))])

        resumed = try sent(session.tick(now: at(milliseconds: 3200)))
        #expect(submittedIDs(resumed) == ["A", "C"])
        sequenceNumbers = Dictionary(uniqueKeysWithValues: zip(submittedIDs(resumed), resumed.map(\.sequenceNumber)))

        // A success resets the pause to its initial length.
        _ = try respond(sequenceNumbers["A"], messageID: "m-A", to: &session, now: at(milliseconds: 3300))
        let reset = try respond(sequenceNumbers["C"], status: .throttled, to: &session, now: at(milliseconds: 3400))
        #expect(reset == [.throttled("C", .throttled, retryAfter: .seconds(1))])
    }

    @Test func throttledSubmissionsKeepSubmissionOrderWhateverOrderTheResponsesArriveIn() throws {
        var session = try boundSession(window: 3)
        let sequenceNumbers = try submit(["A", "B", "C", "D"], to: &session, now: start)
        for id in ["C", "A", "B"] {
            _ = try respond(sequenceNumbers[id], status: .throttled, to: &session, now: at(milliseconds: 10))
        }
        #expect(session.queuedCount == 4 && session.inFlightCount == 0)
        #expect(submittedIDs(try sent(session.tick(now: at(milliseconds: 1010)))) == ["A", "B", "C"])
    }

    // MARK: Keep-alive and timeouts

    @Test func enquireLinkProbesALinkSilentForTheInterval() throws {
        var session = try boundSession()
        #expect(session.nextDeadline == at(seconds: 30))
        #expect(session.tick(now: at(milliseconds: 29_999)).isEmpty)
        let probe = try sent(session.tick(now: at(seconds: 30)))
        #expect(probe.map(\.body) == [.enquireLink])
        #expect(session.tick(now: at(seconds: 35)).isEmpty, "one probe at a time")
        #expect(session.nextDeadline == at(seconds: 40), "the probe's response deadline")

        #expect(session.received(try wire(.enquireLinkResp, probe[0].sequenceNumber), now: at(seconds: 36)).isEmpty)
        #expect(session.nextDeadline == at(seconds: 66))
        // Any traffic counts as activity.
        let delivered = session.received(try wire(.deliverSM(message(to: "me")), 900), now: at(seconds: 50))
        #expect(try sent(delivered).map(\.body) == [.deliverSMResp])
        #expect(session.tick(now: at(seconds: 66)).isEmpty)
        #expect(try sent(session.tick(now: at(seconds: 80))).map(\.body) == [.enquireLink])
    }

    @Test func anUnansweredRequestMeansTheLinkIsDead() throws {
        var session = try boundSession()
        let sequenceNumbers = try submit(["A"], to: &session, now: at(seconds: 1))
        #expect(sequenceNumbers["A"] != nil)
        #expect(session.tick(now: at(milliseconds: 10_999)).isEmpty)
        #expect(session.tick(now: at(seconds: 11)) == [.closeConnection(.responseTimeout(.submitSM))])
        #expect(session.tick(now: at(seconds: 60)).isEmpty)
        #expect(session.nextDeadline == nil)
        #expect(session.disconnected() == [.connectionLost(unacknowledged: ["A"])])

        var binding = try makeSession()
        _ = binding.connected(now: start)
        #expect(binding.tick(now: at(seconds: 10)) == [.closeConnection(.responseTimeout(.bindTransceiver))])

        var probing = try boundSession()
        _ = probing.tick(now: at(seconds: 30))
        #expect(probing.tick(now: at(seconds: 40)) == [.closeConnection(.responseTimeout(.enquireLink))])
    }

    // MARK: The SMSC's requests

    @Test func theSMSCsEnquireLinkIsAnswered() throws {
        var session = try boundSession()
        let actions = session.received(try wire(.enquireLink, 77), now: start)
        #expect(try sent(actions) == [SMPPPDU(.enquireLinkResp, sequenceNumber: 77)])
        #expect(notices(actions).isEmpty)
    }

    @Test func deliverSMIsAcknowledgedOnlyAfterItsEvent() throws {
        var session = try boundSession()
        let mobileOriginated = SMPPShortMessage(source: SMPPAddress(ton: 1, npi: 1, address: "447700900123"), shortMessage: Array("STOP".utf8))
        let inbound = session.received(try wire(.deliverSM(mobileOriginated), 31), now: start)
        #expect(inbound.count == 2)
        #expect(inbound.first == .received(mobileOriginated))
        #expect(try sent(inbound) == [SMPPPDU(.deliverSMResp, sequenceNumber: 31)])

        let text = "id:5F3A sub:001 dlvrd:001 submit date:2401151230 done date:2401151231 stat:DELIVRD err:000 text:"
        let receipt = session.received(try wire(.deliverSM(SMPPShortMessage(esmClass: 0x04, shortMessage: Array(text.utf8))), 32), now: start)
        let expected = try #require(SMPPDeliveryReceipt(text: text))
        #expect(receipt.first == .receipt(expected))
        #expect(try sent(receipt) == [SMPPPDU(.deliverSMResp, sequenceNumber: 32)])

        let garbled = SMPPShortMessage(esmClass: 0x04, shortMessage: Array("no fields here".utf8))
        let unreadable = session.received(try wire(.deliverSM(garbled), 33), now: start)
        #expect(unreadable.first == .unreadableReceipt(garbled))
        #expect(try sent(unreadable) == [SMPPPDU(.deliverSMResp, sequenceNumber: 33)])
    }

    @Test func deliverSMBeforeTheBindCompletesIsRefused() throws {
        var session = try makeSession()
        _ = session.connected(now: start)
        let actions = session.received(try wire(.deliverSM(message(to: "me")), 4), now: start)
        #expect(notices(actions).isEmpty)
        #expect(try sent(actions) == [SMPPPDU(.deliverSMResp, sequenceNumber: 4, status: .invalidBindStatus)])
    }

    @Test func theSMSCsUnbindIsAnsweredThenTheConnectionCloses() throws {
        var session = try boundSession()
        let actions = session.received(try wire(.unbind, 9), now: start)
        #expect(try sent(actions) == [SMPPPDU(.unbindResp, sequenceNumber: 9)])
        #expect(actions.last == .closeConnection(.unbindRequested))
    }

    @Test func unknownAndMalformedRequestsAreNackedAndStrayResponsesIgnored() throws {
        var session = try boundSession()
        let dataSM = session.received(try wire(.unknown(SMPPCommandID(rawValue: 0x103), body: [0, 1]), 5), now: start)
        #expect(try sent(dataSM) == [SMPPPDU(.genericNack, sequenceNumber: 5, status: .invalidCommandID)])
        let submitFromSMSC = session.received(try wire(.submitSM(message(to: "x")), 6), now: start)
        #expect(try sent(submitFromSMSC) == [SMPPPDU(.genericNack, sequenceNumber: 6, status: .invalidCommandID)])

        #expect(session.received(try wire(.unknown(SMPPCommandID(rawValue: 0x8000_0103), body: []), 7), now: start).isEmpty)
        #expect(session.received(try wire(.submitSMResp(messageID: "late"), 4242), now: start).isEmpty)

        // A deliver_sm cut off after service_type.
        let truncated = ByteBuffer(bytes: [0x00, 0x00, 0x00, 0x11, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00])
        let malformed = session.received(truncated, now: start)
        guard case .malformedRequest(let error) = malformed.first else {
            Issue.record("expected a malformed-request notice, got \(malformed)")
            return
        }
        #expect(error.sequenceNumber == 8 && error.commandID == .deliverSM)
        #expect(try sent(malformed) == [SMPPPDU(.genericNack, sequenceNumber: 8, status: .invalidCommandLength)])
        #expect(session.isBound)
    }

    @Test func anUnframeableStreamOrAnUnreadableResponseClosesTheConnection() throws {
        var framing = try boundSession()
        let actions = framing.received(ByteBuffer(bytes: [0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0]), now: start)
        #expect(actions == [.closeConnection(.framingError(SMPPFramingError(commandLength: 8, maximumLength: 65_536)))])

        var unreadable = try boundSession()
        let sequenceNumbers = try submit(["A"], to: &unreadable, now: start)
        let sequence = try #require(sequenceNumbers["A"])
        // submit_sm_resp whose message_id has no NUL within 65 bytes.
        var response = ByteBuffer()
        response.writeMultipleIntegers(UInt32(16 + 70), SMPPCommandID.submitSMResp.rawValue, UInt32(0), sequence)
        response.writeBytes(Array(repeating: UInt8(ascii: "9"), count: 70))
        let closed = unreadable.received(response, now: start)
        guard case .closeConnection(.malformedResponse(let error)) = closed.first else {
            Issue.record("expected a close, got \(closed)")
            return
        }
        #expect(error.sequenceNumber == sequence)
        #expect(unreadable.disconnected() == [.connectionLost(unacknowledged: ["A"])])
    }

    // MARK: Ending

    @Test func connectionLossHandsBackEverythingUnacknowledgedInSubmissionOrder() throws {
        var session = try boundSession(window: 2)
        let first = try submit(["A", "B", "C", "D"], to: &session, now: start)
        let afterA = try respond(first["A"], messageID: "m-A", to: &session, now: at(milliseconds: 100))
        #expect(submittedIDs(try sent(afterA)) == ["C"])
        _ = try respond(first["B"], status: .throttled, to: &session, now: at(milliseconds: 200))
        // A is acknowledged; C is in flight; B (throttled) and D wait.
        #expect(session.disconnected() == [.connectionLost(unacknowledged: ["B", "C", "D"])])
        #expect(!session.isBound && session.queuedCount == 0 && session.inFlightCount == 0 && session.nextDeadline == nil)

        // The session can be used again for the next connection.
        #expect(try sent(session.connected(now: at(seconds: 5))).map(\.commandID) == [.bindTransceiver])
    }

    @Test func closeLetsTheWindowDrainThenUnbinds() throws {
        var session = try boundSession()
        let sequenceNumbers = try submit(["A", "B"], to: &session, now: start)
        #expect(session.close(now: at(seconds: 1)).isEmpty)
        #expect(try session.submit(message(to: "C"), id: "C", now: at(seconds: 1)).isEmpty, "nothing new is sent while closing")
        #expect(try respond(sequenceNumbers["A"], messageID: "m-A", to: &session, now: at(seconds: 2)) == [.submitted("A", messageID: "m-A")])

        let last = try respond(sequenceNumbers["B"], messageID: "m-B", to: &session, now: at(seconds: 2))
        #expect(notices(last) == [.submitted("B", messageID: "m-B")])
        let unbind = try #require(try sent(last).first)
        #expect(unbind.body == .unbind)
        #expect(session.received(try wire(.unbindResp, unbind.sequenceNumber), now: at(seconds: 3)) == [.closeConnection(.unbound)])
        #expect(session.disconnected() == [.connectionLost(unacknowledged: ["C"])])

        var binding = try makeSession()
        _ = binding.connected(now: start)
        #expect(binding.close(now: start) == [.closeConnection(.closedBeforeBound)])
    }

    @Test func sequenceNumbersWrapFrom0x7FFFFFFFTo1() throws {
        var session = try boundSession(window: 3)
        session.lastSequenceNumber = 0x7FFF_FFFE
        let sequenceNumbers = try submit(["A", "B", "C"], to: &session, now: start)
        #expect(sequenceNumbers == ["A": 0x7FFF_FFFF, "B": 1, "C": 2])
    }
}
