package dev.autocert4j.spring;

/** HTTP-01 answered by a servlet filter in a Spring MVC application on embedded Tomcat. */
class Http01InApplicationIT extends Http01InApplicationScenario {
}
