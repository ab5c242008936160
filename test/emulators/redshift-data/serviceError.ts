/** An awsJson1_1 error answer: `{"__type": type, "message": ...}` with an HTTP status. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const validation = (message: string): ServiceError => new ServiceError('ValidationException', 400, message);

export const notFound = (message: string, resourceId: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', 404, message, { ResourceId: resourceId });

/** HTTP status the real service uses for each error it can return (model `httpError`), for injected faults. */
export const ERROR_STATUS: Record<string, number> = {
  ValidationException: 400,
  ResourceNotFoundException: 404,
  ActiveStatementsExceededException: 400,
  ActiveSessionsExceededException: 400,
  ActiveWaitingRequestsExceededException: 400,
  QueryTimeoutException: 400,
  ThrottlingException: 400,
  ExpiredTokenException: 400,
  ExecuteStatementException: 500,
  BatchExecuteStatementException: 500,
  DatabaseConnectionException: 500,
  InternalServerException: 500,
};
