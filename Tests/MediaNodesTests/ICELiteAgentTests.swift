import Testing

@testable import MediaNodes

/// The ICE-lite agent answering checks built by ``ICEClientChecks`` (the browser's role).
@Suite struct ICELiteAgentTests {
    let serverCredentials = ICECredentials(ufrag: "srvU", password: "server-password-0123456789")
    let browserCredentials = ICECredentials(ufrag: "brwU", password: "browser-password-012345678")
    let browser = TransportAddress(transport: .udp, ip: [198, 51, 100, 7], port: 50_000)
    let roamed = TransportAddress(transport: .udp, ip: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [9], port: 40_000)
    let start = ContinuousClock.now

    var client: ICEClientChecks { ICEClientChecks(local: browserCredentials, remote: serverCredentials, tiebreaker: 42) }

    func makeAgent(knowingRemote: Bool = true) -> ICELiteAgent {
        ICELiteAgent(local: serverCredentials, remote: knowingRemote ? browserCredentials : nil, consentTimeout: .seconds(30))
    }

    @Test func answersAValidCheckAndSelectsTheNominatedAddress() throws {
        var agent = makeAgent()
        let transactionID = STUNTransactionID.random()
        let check = client.bindingRequest(priority: 1_845_501_695, useCandidate: false, transactionID: transactionID)
        let reply = agent.receive(check, from: browser, at: start)
        #expect(reply.event == .consentRefreshed(browser))
        #expect(agent.selectedAddress == nil)
        let response = try #require(reply.response)
        #expect(client.validateResponse(response, to: transactionID) == .succeeded(mappedIP: browser.ip, mappedPort: browser.port))
        // The response is keyed with the agent's own password.
        #expect(STUNMessage.verifyIntegrity(of: response, key: Array(serverCredentials.password.utf8)))

        let nominationID = STUNTransactionID.random()
        let nomination = agent.receive(client.bindingRequest(priority: 1, useCandidate: true, transactionID: nominationID), from: browser, at: start)
        #expect(nomination.event == .nominated(browser))
        #expect(agent.selectedAddress == browser)
        #expect(client.validateResponse(try #require(nomination.response), to: nominationID) == .succeeded(mappedIP: browser.ip, mappedPort: browser.port))

        // Repeated nominations of the same address only refresh consent.
        let again = agent.receive(client.bindingRequest(priority: 1, useCandidate: true), from: browser, at: start)
        #expect(again.event == .consentRefreshed(browser))
    }

    @Test func aNominationFromANewAddressSwitchesTheSelection() throws {
        var agent = makeAgent()
        _ = agent.receive(client.bindingRequest(priority: 1, useCandidate: true), from: browser, at: start)
        let transactionID = STUNTransactionID.random()
        let reply = agent.receive(client.bindingRequest(priority: 1, useCandidate: true, transactionID: transactionID), from: roamed, at: start)
        #expect(reply.event == .nominated(roamed))
        #expect(agent.selectedAddress == roamed)
        #expect(client.validateResponse(try #require(reply.response), to: transactionID) == .succeeded(mappedIP: roamed.ip, mappedPort: roamed.port))
    }

    @Test func consentExpiresWithoutValidChecksOnTheSelectedAddress() {
        var agent = makeAgent()
        #expect(!agent.consentExpired(at: start + .seconds(100)), "nothing selected yet")
        _ = agent.receive(client.bindingRequest(priority: 1, useCandidate: true), from: browser, at: start)
        #expect(!agent.consentExpired(at: start + .seconds(29)))
        #expect(agent.consentExpired(at: start + .seconds(30)))
        _ = agent.receive(client.bindingRequest(priority: 1, useCandidate: false), from: browser, at: start + .seconds(25))
        #expect(!agent.consentExpired(at: start + .seconds(50)))
        // Checks from another address do not keep the selected one alive.
        _ = agent.receive(client.bindingRequest(priority: 1, useCandidate: false), from: roamed, at: start + .seconds(50))
        #expect(agent.consentExpired(at: start + .seconds(56)))
        // A failed check does not either.
        let forged = ICEClientChecks(local: browserCredentials, remote: ICECredentials(ufrag: "srvU", password: "guess"))
        _ = agent.receive(forged.bindingRequest(priority: 1, useCandidate: false), from: browser, at: start + .seconds(55))
        #expect(agent.consentExpired(at: start + .seconds(56)))
    }

    @Test func wrongPasswordOrUfragGets401() throws {
        var agent = makeAgent()
        let wrongPassword = ICEClientChecks(local: browserCredentials, remote: ICECredentials(ufrag: "srvU", password: "not-the-password-at-all!!"))
        let transactionID = STUNTransactionID.random()
        let reply = agent.receive(wrongPassword.bindingRequest(priority: 1, useCandidate: true, transactionID: transactionID), from: browser, at: start)
        #expect(reply.event == .rejected(.unauthorized))
        #expect(client.validateResponse(try #require(reply.response), to: transactionID) == .failed(.unauthorized))
        #expect(agent.selectedAddress == nil)

        let wrongLocalUfrag = ICEClientChecks(local: browserCredentials, remote: ICECredentials(ufrag: "xxxx", password: serverCredentials.password))
        #expect(agent.receive(wrongLocalUfrag.bindingRequest(priority: 1, useCandidate: true), from: browser, at: start).event == .rejected(.unauthorized))

        let wrongRemoteUfrag = ICEClientChecks(local: ICECredentials(ufrag: "zzzz", password: ""), remote: serverCredentials)
        #expect(agent.receive(wrongRemoteUfrag.bindingRequest(priority: 1, useCandidate: true), from: browser, at: start).event == .rejected(.unauthorized))
        #expect(agent.selectedAddress == nil)
    }

    @Test func checksBeforeTheRemoteUfragIsKnownAreDroppedUntilItIs() {
        var agent = makeAgent(knowingRemote: false)
        let check = client.bindingRequest(priority: 1, useCandidate: true)
        #expect(agent.receive(check, from: browser, at: start) == ICEReply(response: nil, event: .rejected(.remoteUfragUnknown)))
        agent.setRemoteCredentials(browserCredentials)
        let reply = agent.receive(check, from: browser, at: start)
        #expect(reply.event == .nominated(browser))
        #expect(reply.response != nil)
    }

    @Test func aControlledPeerGets487AndAMissingRoleGets400() throws {
        var agent = makeAgent()
        let username = STUNAttribute.username("srvU:brwU")
        let key = Array(serverCredentials.password.utf8)
        let controlled = STUNMessage(messageClass: .request, attributes: [username, .priority(1), .iceControlled(tiebreaker: 1), .useCandidate])
        let conflict = agent.receive(controlled.encoded(integrityKey: key, fingerprint: true), from: browser, at: start)
        #expect(conflict.event == .rejected(.roleConflict))
        let conflictResponse = try #require(conflict.response)
        #expect(client.validateResponse(conflictResponse, to: controlled.transactionID) == .failed(.roleConflict))
        #expect(STUNMessage.verifyIntegrity(of: conflictResponse, key: key))

        let roleless = STUNMessage(messageClass: .request, attributes: [username, .priority(1), .useCandidate])
        let bad = agent.receive(roleless.encoded(integrityKey: key, fingerprint: true), from: browser, at: start)
        #expect(bad.event == .rejected(.badRequest))
        #expect(client.validateResponse(try #require(bad.response), to: roleless.transactionID) == .failed(.badRequest))
        #expect(agent.selectedAddress == nil)
    }

    @Test func missingCredentialsGet400() throws {
        var agent = makeAgent()
        let unsigned = STUNMessage(messageClass: .request, attributes: [.username("srvU:brwU"), .iceControlling(tiebreaker: 1)])
        let reply = agent.receive(unsigned.encoded(integrityKey: nil, fingerprint: true), from: browser, at: start)
        #expect(reply.event == .rejected(.badRequest))
        let response = try STUNMessage(parsing: try #require(reply.response))
        #expect(response.messageClass == .errorResponse && response.errorCode == .badRequest && !response.hasMessageIntegrity)
    }

    @Test func garbageAndNonRequestsGetNoResponse() {
        var agent = makeAgent()
        #expect(agent.receive([0x80, 0x60, 0, 1, 2, 3], from: browser, at: start) == ICEReply(response: nil, event: .rejected(.malformed)))
        let indication = STUNMessage(messageClass: .indication).encoded(fingerprint: true)
        #expect(agent.receive(indication, from: browser, at: start) == ICEReply(response: nil, event: .rejected(.notABindingRequest)))
        var badFingerprint = client.bindingRequest(priority: 1, useCandidate: true)
        badFingerprint[badFingerprint.count - 1] ^= 0xFF
        #expect(agent.receive(badFingerprint, from: browser, at: start) == ICEReply(response: nil, event: .rejected(.badFingerprint)))
        let noFingerprint = STUNMessage(messageClass: .request, attributes: [.username("srvU:brwU"), .iceControlling(tiebreaker: 1)])
            .encoded(integrityKey: Array(serverCredentials.password.utf8), fingerprint: false)
        #expect(agent.receive(noFingerprint, from: browser, at: start) == ICEReply(response: nil, event: .rejected(.badFingerprint)))
        #expect(agent.selectedAddress == nil)
    }

    @Test func localUfragRoutesTheFirstPacketWithoutVerifying() {
        #expect(ICELiteAgent.localUfrag(ofBindingRequest: client.bindingRequest(priority: 1, useCandidate: false)) == "srvU")
        let noColon = STUNMessage(messageClass: .request, attributes: [.username("srvU")]).encoded(fingerprint: false)
        #expect(ICELiteAgent.localUfrag(ofBindingRequest: noColon) == nil)
        let response = STUNMessage(messageClass: .successResponse, attributes: [.username("srvU:x")]).encoded(fingerprint: false)
        #expect(ICELiteAgent.localUfrag(ofBindingRequest: response) == nil)
        #expect(ICELiteAgent.localUfrag(ofBindingRequest: [0x16, 0xfe, 0xfd]) == nil)
    }

    @Test func randomCredentialsUseIceChars() {
        let credentials = ICECredentials.random()
        #expect(credentials.ufrag.count == 8)
        #expect(credentials.password.count == 24)
        let alphabet = Set(ICECredentials.iceCharacters)
        #expect((credentials.ufrag + credentials.password).allSatisfy(alphabet.contains))
        #expect(ICECredentials.random() != credentials)
    }
}
