/**
 * Test helper: a loopback OTLP/gRPC receiver (`@grpc/grpc-js`, present as a dependency of the
 * official gRPC exporter) implementing `TraceService/Export`, decoding requests with the official
 * generated schema.
 */
import * as grpc from '@grpc/grpc-js';
import { decodeProtobuf, type ReceivedTrace } from './otlp-decode.js';

/** A running gRPC receiver. */
export interface GrpcReceiver {
  /** `http://127.0.0.1:<port>` */
  url: string;
  received: ReceivedTrace[];
  /** Metadata of every call (authentication headers arrive here). */
  metadata: Record<string, unknown>[];
  close(): Promise<void>;
}

const identity = (b: Buffer): Buffer => b;

/** Starts a gRPC receiver on 127.0.0.1, port 0. */
export async function startGrpcReceiver(): Promise<GrpcReceiver> {
  const received: ReceivedTrace[] = [];
  const metadata: Record<string, unknown>[] = [];
  const server = new grpc.Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        received.push(...decodeProtobuf(call.request));
        metadata.push(call.metadata.getMap());
        callback(null, Buffer.alloc(0));
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    metadata,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
