package dev.autocert4j.testing.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fails the build when the README's RBAC {@code Role} and the requests the tests sent to the mock
 * API server disagree: a verb the code uses that the Role lacks, or a verb the Role grants that no
 * test used (least privilege). Runs after the integration tests (exec-maven-plugin in the verify
 * phase), over the request logs that {@code KubernetesMockApi} writes (one {@code verb
 * group/resource} per line) and for the resources a module owns. A run narrowed with
 * {@code -Dtest} or {@code -Dit.test} saw only some requests: then it checks nothing.
 */
public final class ReadmeRoleCheck {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern LIST = Pattern.compile("(apiGroups|resources|verbs):\\s*\\[([^\\]]*)\\]");

    private ReadmeRoleCheck() {
    }

    /**
     * @param args the README; the resources to check, comma-separated, as {@code group/resource}
     *     ({@code secrets}, {@code coordination.k8s.io/leases}); the {@code -Dtest} filter; the
     *     {@code -Dit.test} filter; then the request logs
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (filtered(args[2]) || filtered(args[3])) {
            System.out.println("README Role check: skipped, the tests were filtered (" + args[2] + " " + args[3] + ")");
            return;
        }
        Map<String, Set<String>> granted = roleRules(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8));
        Map<String, Set<String>> used = new TreeMap<>();
        List<Path> logs = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            if (Files.exists(Path.of(args[i]))) {
                logs.add(Path.of(args[i]));
            }
        }
        if (logs.isEmpty()) {
            throw new IllegalStateException("no request log among " + List.of(args).subList(4, args.length)
                    + ": the tests that use KubernetesMockApi did not run with -Dautocert4j.kubernetes.requestLog=<file>");
        }
        for (Path log : logs) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String[] verbAndResource = line.trim().split(" ");
                if (verbAndResource.length == 2) {
                    used.computeIfAbsent(verbAndResource[1], r -> new TreeSet<>()).add(verbAndResource[0]);
                }
            }
        }
        List<String> problems = compare(granted, used, new TreeSet<>(List.of(args[1].split(","))));
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            throw new IllegalStateException(problems.size() + " difference(s) between the README's Role and the requests "
                    + "the tests sent; see the lines above and fix the Role in README.md");
        }
        System.out.println("README Role check: the Role grants exactly the verbs used on " + args[1]);
    }

    /** Maven passes an unset property as null, or leaves its expression as it is. */
    private static boolean filtered(String filter) {
        return filter != null && !filter.isBlank() && !filter.startsWith("${");
    }

    /**
     * Reads the rules of the first {@code kind: Role} in a YAML block of the README, written in
     * flow style ({@code apiGroups: [...]}, {@code resources: [...]}, {@code verbs: [...]}).
     *
     * @param readme the README's text
     * @return {@code group/resource} (core group: the resource alone) to the verbs granted on it
     * @throws IllegalArgumentException when the README has no such Role
     */
    public static Map<String, Set<String>> roleRules(String readme) {
        Matcher block = YAML_BLOCK.matcher(readme);
        while (block.find()) {
            String yaml = block.group(1);
            String role = yaml.split("\\n---")[0];
            if (!role.contains("\nkind: Role\n") && !role.startsWith("kind: Role\n")) {
                continue;
            }
            Map<String, Set<String>> rules = new TreeMap<>();
            List<String> groups = List.of();
            List<String> resources = List.of();
            Matcher list = LIST.matcher(role.replaceAll("#[^\\n]*", ""));
            while (list.find()) {
                List<String> items = new ArrayList<>();
                for (String item : list.group(2).split(",")) {
                    items.add(item.trim().replaceAll("^\"|\"$", ""));
                }
                switch (list.group(1)) {
                    case "apiGroups" -> groups = items;
                    case "resources" -> resources = items;
                    default -> {
                        for (String group : groups) {
                            for (String resource : resources) {
                                rules.computeIfAbsent(group.isEmpty() ? resource : group + "/" + resource,
                                        r -> new TreeSet<>()).addAll(items);
                            }
                        }
                    }
                }
            }
            return rules;
        }
        throw new IllegalArgumentException("the README has no ```yaml block with a kind: Role");
    }

    /**
     * @param granted the Role's verbs per resource
     * @param used the verbs the tests sent per resource
     * @param resources the resources to compare
     * @return one line per verb used but not granted, and per verb granted but not used
     */
    public static List<String> compare(Map<String, Set<String>> granted, Map<String, Set<String>> used, Set<String> resources) {
        List<String> problems = new ArrayList<>();
        for (String resource : resources) {
            Set<String> grants = granted.getOrDefault(resource, Set.of());
            Set<String> uses = used.getOrDefault(resource, Set.of());
            for (String verb : uses) {
                if (!grants.contains(verb)) {
                    problems.add("README Role lacks verb '" + verb + "' on " + resource + ", which the code uses");
                }
            }
            for (String verb : grants) {
                if (!uses.contains(verb)) {
                    problems.add("README Role grants verb '" + verb + "' on " + resource + ", which no test used");
                }
            }
        }
        return problems;
    }
}
