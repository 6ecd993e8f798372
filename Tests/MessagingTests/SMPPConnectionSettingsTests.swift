import Testing

@testable import Messaging

struct SMPPConnectionSettingsTests {
    @Test func readsEverySetting() throws {
        let settings = try SMPPConnectionSettings(parsing: "name=carrier-a,host=smsc.example.net,port=2775,system-id=parley,password=s3cret,system-type=VMA,window=20")
        #expect((settings.name, settings.host, settings.port, settings.systemID, settings.password) == ("carrier-a", "smsc.example.net", 2775, "parley", "s3cret"))
        #expect((settings.systemType, settings.windowSize) == ("VMA", 20))
        let defaults = try SMPPConnectionSettings(parsing: "name=b,host=h,port=1,system-id=s,password=p")
        #expect((defaults.systemType, defaults.windowSize) == ("", 10))
    }

    @Test(arguments: [
        ("host=h,port=1,system-id=s,password=p", "name= is required"),
        ("name=a,host=h,port=0,system-id=s,password=p", "port= must be 1-65535"),
        ("name=a,host=h,port=1,system-id=s,password=p,window=0", "window= must be 1-1000"),
        ("name=sandbox,host=h,port=1,system-id=s,password=p", "built-in"),
        ("name=a,host=h,port=1,system-id=sixteen-chars-xx,password=p", "15 characters"),
        ("name=a,host=h,port=1,system-id=s,password=p,colour=red", "unknown setting colour="),
        ("name=a,host", "is not key=value"),
    ])
    func refusesBadSettings(_ text: String, _ fragment: String) {
        do {
            _ = try SMPPConnectionSettings(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(fragment), "\(error)")
        }
    }
}
