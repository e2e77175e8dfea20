/**
 * The transparency fault matrix (see transparency.test.ts) through the decorators compiled as legacy
 * decorators (experimentalDecorators + emitDecoratorMetadata).
 */
import 'reflect-metadata';
import { monitorLLM, traceModelCall } from '../../index.js';
import { describeTransparency, type Caller } from '../helpers/transparency-cases.js';

type Impl = (this: unknown, ...args: any[]) => unknown;

class Host {
  impl: Impl = () => undefined;

  @traceModelCall({ capture: 'off' })
  off(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }

  @traceModelCall({ capture: 'metadata' })
  metadata(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }

  @traceModelCall({ capture: 'full' })
  full(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }

  @monitorLLM()
  monitored(...args: unknown[]): unknown {
    return this.impl.apply(this, args);
  }
}

const decoratedCaller = (method: 'off' | 'metadata' | 'full' | 'monitored', label: string): Caller => {
  const host = new Host();
  return {
    name: `${label} (legacy)`,
    self: host,
    call(impl, ...args) {
      host.impl = impl;
      return host[method](...args);
    },
  };
};

describeTransparency('transparency (legacy decorators)', [
  decoratedCaller('off', "@traceModelCall({ capture: 'off' })"),
  decoratedCaller('metadata', "@traceModelCall({ capture: 'metadata' })"),
  decoratedCaller('full', "@traceModelCall({ capture: 'full' })"),
  decoratedCaller('monitored', '@monitorLLM()'),
]);
