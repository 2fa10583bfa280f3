import { ProviderError } from '@multi-context/provider';
import { expect } from 'vitest';

/**
 * Asserts that `error` is a {@link ProviderError} (recognised across package
 * copies) whose message, JSON form, stack and cause never show `secret`, and
 * returns it typed for further checks.
 *
 * @param error What a provider stream failed with, or what a factory threw.
 * @param secret The API key the provider was given; an error that leaks it
 * into a log or a journal fails here.
 */
export function expectProviderError(error: unknown, secret: string): ProviderError {
  expect(ProviderError.isInstance(error)).toBe(true);
  const providerError = error as ProviderError;
  const everything = `${providerError.message} ${JSON.stringify(providerError)} ${providerError.stack}`;
  expect(everything).not.toContain(secret);
  expect(String((providerError.cause as Error | undefined)?.message ?? '')).not.toContain(secret);
  return providerError;
}
