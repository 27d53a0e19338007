package io.churnserving.errors;

/** A failure that already knows its problem, such as a refused API key or an unknown model. */
public final class ClientProblem extends RuntimeException {
  private final Problem problem;

  public ClientProblem(Problem problem) {
    super(problem.detail(), null, false, false);
    this.problem = problem;
  }

  /** A problem of a standard kind for this status, e.g. 401 or 404. */
  public static ClientProblem of(int status) {
    return new ClientProblem(Problems.forStatus(status));
  }

  /** A problem of a standard kind for this status, with its own detail. */
  public static ClientProblem of(int status, String detail) {
    Problem base = Problems.forStatus(status);
    return new ClientProblem(new Problem(base.type(), base.title(), status, detail, null, null));
  }

  public Problem problem() {
    return problem;
  }
}
