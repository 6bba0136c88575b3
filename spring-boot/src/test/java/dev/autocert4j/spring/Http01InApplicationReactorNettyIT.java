package dev.autocert4j.spring;

/** HTTP-01 answered by a web filter in a WebFlux application on Reactor Netty. */
class Http01InApplicationReactorNettyIT extends Http01InApplicationScenario {
}
