package io.churnserving.support;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Runs a main class of this project in a separate JVM, for what only a process shows: exit codes and stderr. */
public final class JavaProcess {

  /** What the process did. */
  public record Result(int exitCode, String stdout, String stderr) {
  }

  private JavaProcess() {
  }

  /** A process started by {@link #start}, with its output going to files. */
  public record Running(Process process, Path stdout, Path stderr) implements AutoCloseable {
    public String stdoutText() throws java.io.IOException {
      return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() throws java.io.IOException {
      return Files.readString(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws java.io.IOException {
      process.destroyForcibly();
      Files.deleteIfExists(stdout);
      Files.deleteIfExists(stderr);
    }
  }

  /** Starts {@code mainClass} with the test classpath, these extra environment variables and JVM options, and returns at once. */
  public static Running start(String mainClass, Map<String, String> env, String... jvmArgs) throws Exception {
    Path out = Files.createTempFile("churn-proc", ".out");
    Path err = Files.createTempFile("churn-proc", ".err");
    ProcessBuilder builder = new ProcessBuilder(command(mainClass, jvmArgs)).redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().putAll(env);
    return new Running(builder.start(), out, err);
  }

  /** {@link #start(String, Map, String...)} with program arguments after the main class. */
  public static Running start(String mainClass, Map<String, String> env, List<String> args, String... jvmArgs)
      throws Exception {
    Path out = Files.createTempFile("churn-proc", ".out");
    Path err = Files.createTempFile("churn-proc", ".err");
    List<String> command = command(mainClass, jvmArgs);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(env);
    return new Running(builder.start(), out, err);
  }

  private static List<String> command(String mainClass, String... jvmArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmArgs));
    command.add("-cp");
    // Absolute entries, so a process started from another working directory finds the same classes.
    command.add(Arrays.stream(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        .split(File.pathSeparator)).filter(e -> !e.isEmpty()).map(e -> Path.of(e).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator)));
    command.add(mainClass);
    return command;
  }

  /** Runs {@code mainClass} with the test classpath and these extra environment variables; kills it after 60 s. */
  public static Result run(String mainClass, Map<String, String> env, String... jvmArgs) throws Exception {
    return run(command(mainClass, jvmArgs), null, env);
  }

  /**
   * Runs {@code mainClass} with these program arguments, as {@code java -jar churn-serving.jar args...} would, from
   * {@code workingDir} (null: this process's); kills it after 60 s.
   */
  public static Result runWithArgs(Path workingDir, Map<String, String> env, String mainClass, String... args)
      throws Exception {
    List<String> command = command(mainClass);
    command.addAll(List.of(args));
    return run(command, workingDir, env);
  }

  private static Result run(List<String> command, Path workingDir, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("churn-proc", ".out");
    Path err = Files.createTempFile("churn-proc", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    if (workingDir != null) {
      builder.directory(workingDir.toFile());
    }
    builder.environment().putAll(env);
    Process process = builder.start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("process did not exit within 60 s: " + Files.readString(err));
      }
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
