/// Flows: the Studio-compatible flow model, validator, durable interpreter and Liquid templates.
///
/// Pure by design: it depends on nothing but the standard library, and every effect (HTTP, messages,
/// persistence) will sit behind protocols declared here. A namespace until the flows issue fills it.
public enum Flows {}
