package dev.basalt.exec.function.scalar;

import dev.basalt.common.type.DataType;
import dev.basalt.exec.function.ScalarFunction;

/**
 * The shared part of the typed kernels of several arguments: a name, a return type, and the promise
 * to read literal arguments as constant vectors ({@link ScalarFunction#takesConstantVectors},
 * {@link Kernels#rowMask}). Subclasses are stateless and thread safe.
 */
abstract class KernelFunction implements ScalarFunction {
  private final String name;
  private final DataType returnType;

  KernelFunction(String name, DataType returnType) {
    this.name = name;
    this.returnType = returnType;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DataType returnType() {
    return returnType;
  }

  @Override
  public boolean takesConstantVectors() {
    return true;
  }
}
