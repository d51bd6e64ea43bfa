/**
 * Flex on Kubernetes, built on Flex's public API only: a secondary scheduler
 * ({@code flex kube-scheduler}) and a kube-scheduler extender ({@code flex kube-extender}). What
 * is read from nodes and pods and what is written back follows the contract in the README's
 * "Flex on Kubernetes" section.
 */
@NullMarked
package io.flexsched.kubernetes;

import org.jspecify.annotations.NullMarked;
