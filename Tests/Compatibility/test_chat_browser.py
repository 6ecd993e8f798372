"""The browser chat client in a real browser: headless Chromium (browser.py) opens the gateway's chat demo page,
imports `/clients/js/parley-chat.js` from it and chats with a Python client through the real gateway: messages both
ways, in order, and a REST-posted one live."""

import uuid

import pytest

from browser import Browser, missing_browser
from chat_client import ChatClient, chat_token

pytestmark = pytest.mark.skipif(missing_browser() is not None, reason=f"no browser: {missing_browser()}")

CONNECT = """
const [token, conversation, done] = arguments;
import('/clients/js/parley-chat.js').then(async ({ ParleyChat }) => {
  const chat = new ParleyChat({ token });
  window.received = [];
  chat.addEventListener('message_added', ({ detail: { message } }) => window.received.push([message.index, message.author, message.body]));
  const ready = await chat.connect();
  await chat.subscribe(conversation);
  window.chat = chat;
  return ready.identity;
}).then((identity) => done({ ok: true, identity }), (error) => done({ ok: false, error: String(error && error.stack || error) }));
"""


def test_the_browser_client_chats_through_the_gateway(base_url, owner, client):
    key = client.new_keys.create(friendly_name="browser-chat")
    conversation = client.conversations.v1.conversations.create(unique_name=f"browser-{uuid.uuid4().hex[:8]}")
    try:
        conversation.participants.create(identity="web")
        conversation.participants.create(identity="py")
        python = ChatClient(base_url, chat_token(owner.sid, key.sid, key.secret, "py"))
        python.request({"type": "subscribe", "conversation": conversation.sid})
        with Browser() as browser:
            browser.open(f"{base_url}/demo/chat")
            connected = browser.execute_async(CONNECT, chat_token(owner.sid, key.sid, key.secret, "web"), conversation.sid)
            assert connected == {"ok": True, "identity": "web"}, connected
            sent = browser.evaluate("window.chat.send(arguments[0], 'hello from the browser')", conversation.sid)
            assert (sent["index"], sent["author"]) == (0, "web")
            assert python.request({"type": "send", "conversation": conversation.sid, "body": "hello from python"})["type"] == "sent"
            conversation.messages.create(author="system", body="hello from REST")
            received = browser.wait_for("window.received.length >= 3 && window.received", 15, "three messages in the browser")
            assert received == [[0, "web", "hello from the browser"], [1, "py", "hello from python"], [2, "system", "hello from REST"]]
            python.wait_for(lambda events: len(python.added(conversation.sid)) >= 3, 10, "three messages in Python")
            assert [m["body"] for m in python.added(conversation.sid)][0] == "hello from the browser"
            browser.evaluate("window.chat.close()")
        python.close()
    finally:
        conversation.delete()
        client.api.v2010.accounts(owner.sid).keys(key.sid).delete()
