import { AppController } from './app.controller';

describe('AppController', () => {
  it('answers GET / with a JSON message', () => {
    expect(new AppController().root()).toEqual({ message: 'gateway-api root/' });
  });
});
