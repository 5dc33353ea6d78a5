/**
 * Errors as the AWS SDK v3 throws them: a service exception's name is its error code, and its
 * `$metadata.httpStatusCode` the HTTP status; a networking failure has a Node.js `code` and no status.
 */
export function anAwsError(name: string, message = `${name} (test)`, httpStatusCode?: number): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, {
    $fault: httpStatusCode !== undefined && httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });
}

export function aNetworkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 52.94.0.1:443`), { code });
}
