package io.flexsched.core.engine;

/**
 * Turns on the engine's test-only accounting bug ({@code ClusterState.leakDeviceMemoryOnRelease}:
 * a release forgets to give device memory back) for as long as it is open, to prove that the
 * model-based tester's checks can fail. It lives in the engine's package to reach the
 * package-private switch, so that the engine's public API gains nothing for it.
 */
public final class InjectedFault implements AutoCloseable {
  private InjectedFault() {
    ClusterState.leakDeviceMemoryOnRelease = true;
  }

  /** Releases leak device memory until {@link #close()}. */
  public static InjectedFault leakDeviceMemoryOnRelease() {
    return new InjectedFault();
  }

  @Override
  public void close() {
    ClusterState.leakDeviceMemoryOnRelease = false;
  }
}
