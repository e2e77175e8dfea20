/** Pure reading of @google/genai request parameters and Gemini REST paths. */
import { describe, expect, it } from '@jest/globals';
import { modelRouteOf } from '../../../adapters/fetch/index.js';
import { geminiModelName, geminiPathOf, geminiRequestAttributes } from '../../../adapters/gemini/index.js';

describe('Gemini request reading', () => {
  it('drops the models/ resource prefix of a model name', () => {
    expect(geminiModelName('models/gemini-2.0-flash')).toBe('gemini-2.0-flash');
    expect(geminiModelName('publishers/google/models/gemini-2.5-pro')).toBe('gemini-2.5-pro');
    expect(geminiModelName('gemini-2.5-flash')).toBe('gemini-2.5-flash');
    expect(geminiModelName('models/')).toBeUndefined();
    expect(geminiModelName(42)).toBeUndefined();
  });

  it('reads SDK params (config) and REST bodies (generationConfig, model from the path)', () => {
    expect(geminiRequestAttributes({ model: 'gemini-2.0-flash', contents: 'x', config: { maxOutputTokens: 10, temperature: 0.5 } }, false)).toEqual({
      'gen_ai.request.model': 'gemini-2.0-flash',
      'gen_ai.request.max_tokens': 10,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.stream': false,
    });
    expect(geminiRequestAttributes({ contents: [], generationConfig: { maxOutputTokens: 5 } }, true, 'gemini-2.5-pro')).toEqual({
      'gen_ai.request.model': 'gemini-2.5-pro',
      'gen_ai.request.max_tokens': 5,
      'gen_ai.request.stream': true,
    });
    expect(geminiRequestAttributes(null, false)).toEqual({ 'gen_ai.request.stream': false });
  });

  it('reads the model and method of a REST path', () => {
    expect(geminiPathOf('/v1beta/models/gemini-2.0-flash:streamGenerateContent')).toEqual({ model: 'gemini-2.0-flash', method: 'streamGenerateContent' });
    expect(geminiPathOf('/v1/projects/p/locations/us/publishers/google/models/gemini-2.5-pro:generateContent')?.model).toBe('gemini-2.5-pro');
    expect(geminiPathOf('/v1/chat/completions')).toBeUndefined();
    expect(geminiPathOf('/v1beta/models/%E0%A4%A:generateContent')).toBeUndefined();
  });

  it('tells the Gemini API paths from the Vertex AI ones (tracedFetch routes)', () => {
    expect(modelRouteOf('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent')?.family).toBe('gcp.gemini');
    const vertex = 'https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro';
    expect(modelRouteOf(`${vertex}:streamGenerateContent?alt=sse`)).toMatchObject({ family: 'gcp.vertex_ai', operationPath: 'models.streamGenerateContent' });
    expect(modelRouteOf('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:countTokens')).toBeUndefined();
  });
});
