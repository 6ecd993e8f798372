/// Messaging: phone numbers' SMS, carrier connections (SMPP) and omnichannel conversations.
///
/// The module is a namespace until the numbers/SMS and conversations issues fill it; it exists now so
/// the dependency direction (APIGateway → Messaging → Platform) is fixed from the start.
public enum Messaging {}
