<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BrowserWaitView</name>
    <message>
        <source>Finish signing in in your browser</source>
        <translation>请在浏览器中完成登录</translation>
    </message>
    <message>
        <source>Your web browser shows Microsoft&apos;s sign-in page. When it says you are signed in, come back here: TuneDesk continues by itself. If no browser opened, cancel and use a code on another device instead.</source>
        <translation>浏览器中会显示 Microsoft 登录页面。页面提示已登录后，请回到这里，TuneDesk 会自动继续。如果没有打开浏览器，请点击“取消”，改为在其他设备上使用代码登录。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Catalog</name>
    <message>
        <source>Retired on {date}: Azure no longer fine-tunes it.</source>
        <translation>已于 {date} 停用：Azure 不再对它进行微调。</translation>
    </message>
    <message>
        <source>Retired: Azure no longer fine-tunes it.</source>
        <translation>已停用：Azure 不再对它进行微调。</translation>
    </message>
    <message>
        <source>For existing customers only: since {date}, only organisations that fine-tuned it before can train it.</source>
        <translation>仅限现有客户：自 {date} 起，只有以前微调过它的组织还能训练它。</translation>
    </message>
    <message>
        <source>{name} (retired)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>{name} (existing customers only)</source>
        <translation>{name}（仅限现有客户）</translation>
    </message>
    <message>
        <source>It trains in a classic Foundry hub project, not in a Foundry resource.</source>
        <translation>它需要在经典 Foundry 中心项目中训练，而不是在 Foundry 资源中。</translation>
    </message>
    <message>
        <source>It trains in a Foundry resource, not in a classic Foundry hub project.</source>
        <translation>它需要在 Foundry 资源中训练，而不是在经典 Foundry 中心项目中。</translation>
    </message>
    <message>
        <source>Not in this region; it trains in: {regions}.</source>
        <translation>不支持此区域；可以训练它的区域：{regions}。</translation>
    </message>
    <message>
        <source>The bundled list of base models is damaged: {detail}</source>
        <translation>内置的基础模型列表已损坏：{detail}</translation>
    </message>
    <message>
        <source>Reinstall TuneDesk; this file ships with the app.</source>
        <translation>请重新安装 TuneDesk。此文件随应用一起提供。</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>Chat &amp; check</source>
        <translation>对话与检验</translation>
    </message>
    <message>
        <source>Talk to your model, next to the base model if you like, and quiz it with the questions it did not train on to see what it learned.</source>
        <translation>与你的模型对话（也可以让它和基础模型并排回答），再用它没有训练过的问题测验它，看看它学到了什么。</translation>
    </message>
    <message>
        <source>Talking to:</source>
        <translation>对话对象：</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>Quiz</source>
        <translation>测验</translation>
    </message>
</context>
<context>
    <name>ChatPanel</name>
    <message>
        <source>Nothing of this project is online yet: deploy a trained model to chat with it.</source>
        <translation>此项目还没有在线的模型：请先部署训练好的模型，再与它对话。</translation>
    </message>
    <message>
        <source>Go to Deploy</source>
        <translation>前往“部署”</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>并排对比：</translation>
    </message>
    <message>
        <source>More</source>
        <translation>更多</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>开始新的对话</translation>
    </message>
    <message>
        <source>Export conversation…</source>
        <translation>导出对话…</translation>
    </message>
    <message>
        <source>Save this conversation as a Markdown file</source>
        <translation>将此对话保存为 Markdown 文件</translation>
    </message>
    <message>
        <source>Copy code…</source>
        <translation>复制代码…</translation>
    </message>
    <message>
        <source>Python and curl code that asks this deployment a question</source>
        <translation>向此部署提问的 Python 和 curl 代码</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <source>0 gives the same, most likely answer each time; up to 2 varies more.</source>
        <translation>设为 0 时，每次都给出相同的、最可能的回答；越接近 2，回答变化越大。</translation>
    </message>
    <message>
        <source>Longest answer:</source>
        <translation>最长回答：</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>An answer stops when it reaches this length.</source>
        <translation>回答达到这个长度时就会停止。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Sent before every question, as in training. Changing it here tries another prompt in this chat only; the project keeps its own.</source>
        <translation>和训练时一样，会在每个问题之前发送。在这里修改，只是在本次对话中试用另一个提示词；项目自己的提示词保持不变。</translation>
    </message>
    <message>
        <source>Use the training prompt</source>
        <translation>使用训练时的提示词</translation>
    </message>
    <message>
        <source>No system prompt</source>
        <translation>没有系统提示词</translation>
    </message>
    <message>
        <source>Ask a question (Enter sends, Shift+Enter starts a new line)</source>
        <translation>输入问题（按 Enter 发送，按 Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the answer; what arrived stays</source>
        <translation>停止回答；已收到的内容会保留</translation>
    </message>
    <message>
        <source>base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>fine-tuned</source>
        <translation>微调后</translation>
    </message>
    <message>
        <source>Talking to</source>
        <translation>对话对象</translation>
    </message>
    <message>
        <source>Next to</source>
        <translation>并排对比</translation>
    </message>
    <message>
        <source>{role}: {name} ({kind})</source>
        <translation>{role}：{name}（{kind}）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>changed for this chat</source>
        <translation>仅在本次对话中修改</translation>
    </message>
    <message>
        <source>as in training</source>
        <translation>与训练时相同</translation>
    </message>
    <message>
        <source>none: the data has no system prompt</source>
        <translation>无：数据中没有系统提示词</translation>
    </message>
    <message>
        <source>Something went wrong here, and the answer ended.</source>
        <translation>这里出了问题，回答已中止。</translation>
    </message>
    <message>
        <source>Waiting for the answer…</source>
        <translation>正在等待回答…</translation>
    </message>
    <message>
        <source>The connection broke off in the middle of the answer: above is what arrived. Send the question again for the whole answer.</source>
        <translation>回答到一半时连接中断了，上面是已收到的内容。请重新发送问题，以获得完整的回答。</translation>
    </message>
    <message>
        <source>The answer broke off: {reason}</source>
        <translation>回答中断了：{reason}</translation>
    </message>
    <message>
        <source>Chat with {name}</source>
        <translation>与 {name} 的对话</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown 文件 (*.md)</translation>
    </message>
    <message>
        <source>{project} chat</source>
        <translation>{project} 对话</translation>
    </message>
    <message>
        <source>Could not save {name}.</source>
        <translation>无法保存 {name}。</translation>
    </message>
    <message>
        <source>Saved the conversation to {path}.</source>
        <translation>已将对话保存到 {path}。</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>TuneDesk does not know this deployment&apos;s address, so it has no code.</source>
        <translation>TuneDesk 不知道此部署的地址，因此无法提供代码。</translation>
    </message>
    <message>
        <source>Code that asks {name} a question. Set the environment variable {env} to the deployment&apos;s key first (Azure portal, the deployment&apos;s Keys): the key is never written into the code.</source>
        <translation>向 {name} 提问的代码。请先把环境变量 {env} 设为此部署的密钥（在 Azure 门户中该部署的“密钥”处查看）：密钥绝不会写进代码。</translation>
    </message>
</context>
<context>
    <name>ChecklistPanel</name>
    <message>
        <source>Checklist</source>
        <translation>检查清单</translation>
    </message>
    <message>
        <source>No problems found. Your data is ready for training.</source>
        <translation>没有发现问题，数据可以用来训练了。</translation>
    </message>
</context>
<context>
    <name>Checks</name>
    <message>
        <source>{rows} and {count} more</source>
        <translation>{rows} 以及另外 {count} 行</translation>
    </message>
    <message>
        <source>Row {row}: message {message} has no role. Every message must come from the system, the user or the assistant.</source>
        <translation>第 {row} 行：第 {message} 条消息没有角色。角色必须是 system、user 或 assistant。</translation>
    </message>
    <message>
        <source>Row {row}: message {message} has the role “{role}”. Only system, user and assistant are allowed.</source>
        <translation>第 {row} 行：第 {message} 条消息的角色是“{role}”。角色只能是 system、user 或 assistant。</translation>
    </message>
    <message>
        <source>Row {row}: message {message} ({role}) has no content. Give it text, or remove it.</source>
        <translation>第 {row} 行：第 {message} 条消息（{role}）没有内容。请填写文字，或删除这条消息。</translation>
    </message>
    <message>
        <source>Row {row}: message {message} ({role}) does not hold text. The content must be text, or a list of text and image parts.</source>
        <translation>第 {row} 行：第 {message} 条消息（{role}）的内容不是文本。内容必须是文本，或由文本和图片组成的列表。</translation>
    </message>
    <message>
        <source>Row {row}: the question in message {message} is empty. Type the question, or remove that message.</source>
        <translation>第 {row} 行：第 {message} 条消息中的问题是空的。请输入问题，或删除这条消息。</translation>
    </message>
    <message>
        <source>Row {row}: the question is empty. Type the question.</source>
        <translation>第 {row} 行：问题是空的。请输入问题。</translation>
    </message>
    <message>
        <source>Row {row}: the answer in message {message} is empty. Type the answer, or remove that message.</source>
        <translation>第 {row} 行：第 {message} 条消息中的答案是空的。请输入答案，或删除这条消息。</translation>
    </message>
    <message>
        <source>Row {row}: the answer is empty. Type the answer.</source>
        <translation>第 {row} 行：答案是空的。请输入答案。</translation>
    </message>
    <message>
        <source>Row {row}: this example has its own system message, but it is empty. Remove it so the project&apos;s system prompt is used.</source>
        <translation>第 {row} 行：这个示例有单独的系统消息，但内容为空。请删除它，以便使用项目的系统提示词。</translation>
    </message>
    <message>
        <source>Row {row}: message {message} ({role}) has a weight. Only answers (assistant messages) can have a weight; remove it.</source>
        <translation>第 {row} 行：第 {message} 条消息（{role}）设置了权重。只有答案（assistant 消息）才能设置权重，请删除。</translation>
    </message>
    <message>
        <source>Row {row}: the answer in message {message} has the weight {weight}. The weight can only be 0 (do not learn from this answer) or 1 (learn from it).</source>
        <translation>第 {row} 行：第 {message} 条消息中答案的权重是 {weight}。权重只能是 0（不学习这个答案）或 1（学习这个答案）。</translation>
    </message>
    <message>
        <source>Row {row} has no answer. Every example needs an answer from the assistant; Azure rejects the file otherwise.</source>
        <translation>第 {row} 行没有答案。每个示例都需要助手的答案，否则 Azure 会拒绝整个文件。</translation>
    </message>
    <message>
        <source>Row {row} has an answer but no question. Add the question it answers.</source>
        <translation>第 {row} 行有答案，但没有问题。请补上对应的问题。</translation>
    </message>
    <message>
        <source>Row {row} came back from a quiz and is flagged for review (⚑ in its note): check the answer, then remove the ⚑ from the note.</source>
        <translation>第 {row} 行来自测验，已标记为待复查（备注中有 ⚑）：请检查答案，然后删除备注中的 ⚑。</translation>
    </message>
    <message>
        <source>Row {row}: the question or answer starts or ends with spaces or empty lines. Remove them so the model does not learn them.</source>
        <translation>第 {row} 行：问题或答案的首尾有空格或空行。请删除，以免模型学到它们。</translation>
    </message>
    <message>
        <source>Row {row} is empty. Fill in a question and an answer, or remove the row.</source>
        <translation>第 {row} 行是空的。请填写问题和答案，或删除这一行。</translation>
    </message>
    <message>
        <source>Row {row} holds only a system message, with no question or answer, and Azure rejects examples without an answer. Use its text as the system prompt for all examples and remove the row.</source>
        <translation>第 {row} 行只有系统消息，没有问题和答案，Azure 会拒绝这样的示例。请把它设为所有示例的系统提示词，再删除此行。</translation>
    </message>
    <message>
        <source>Row {row} holds only a system message, with no question or answer, and Azure rejects examples without an answer. Copy what you need from it into the system prompt, then remove the row.</source>
        <translation>第 {row} 行只有系统消息，没有问题和答案，Azure 会拒绝这样的示例。请把需要的内容复制到系统提示词，再删除此行。</translation>
    </message>
    <message>
        <source>Row {row} is too long: {count} tokens, but the model accepts at most {limit} tokens per example. Shorten it or split it into several examples.</source>
        <translation>第 {row} 行太长：共 {count} 个 token，而模型每个示例最多接受 {limit} 个。请缩短，或拆成几个示例。</translation>
    </message>
    <message>
        <source>Row {row} is an exact copy of row {first}. Copies add nothing new; remove them.</source>
        <translation>第 {row} 行和第 {first} 行完全相同。重复的示例没有新内容，请删除。</translation>
    </message>
    <message>
        <source>Row {row} asks the same question as row {rows} but gives a different answer. Make the answers agree, or the model learns both.</source>
        <translation>第 {row} 行和第 {rows} 行问题相同，答案却不同。请统一答案，否则模型会两个都学。</translation>
    </message>
    <message>
        <source>Row {row} asks the same question as rows {rows} but gives a different answer. Make the answers agree, or the model learns all of them.</source>
        <translation>第 {row} 行和行 {rows} 问题相同，答案却不同。请统一答案，否则模型会全都学进去。</translation>
    </message>
    <message>
        <source>Row {row} asks almost the same question as row {first}: only capitals, spaces or punctuation differ. Ask it in a truly different way, or remove one of them.</source>
        <translation>第 {row} 行和第 {first} 行的问题几乎一样，只差大小写、空格或标点。请换个真正不同的问法，或删除其中一行。</translation>
    </message>
    <message>
        <source>Drafts a model wrote, waiting for your review: {count} (rows {rows}). Read each one, then accept, edit or reject it. Training does not start while drafts wait, unless you choose to include them.</source>
        <translation>模型写的草稿，等待你审核：{count} 行（第 {rows} 行）。请逐条阅读，然后接受、修改或拒绝。有草稿待审核时不会开始训练，除非你选择把它们也包括进去。</translation>
    </message>
    <message>
        <source>There are no usable examples yet. Azure will not start a training job with fewer than {minimum}. Add questions and answers to the table.</source>
        <translation>还没有可用的示例。示例少于 {minimum} 个时，Azure 不会启动训练作业。请在表格中添加问题和答案。</translation>
    </message>
    <message>
        <source>Only {count} examples are usable. Azure will not start a training job with fewer than {minimum}. Add more questions and answers.</source>
        <translation>只有 {count} 个示例可用。示例少于 {minimum} 个时，Azure 不会启动训练作业。请添加更多问题和答案。</translation>
    </message>
    <message>
        <source>{count} examples are enough to start, but {recommended} or more are recommended. Add more, and ask each question in several different ways.</source>
        <translation>{count} 个示例已可开始训练，但建议至少 {recommended} 个。请继续添加，并把每个问题换几种问法。</translation>
    </message>
    <message>
        <source>There is no system prompt. Write one that says who the assistant is and how it answers (in TuneDesk: the System prompt box above the table). It is added to every example and used again when you chat with the trained model.</source>
        <translation>还没有系统提示词。请写一段，说明助手是谁、怎样回答（在 TuneDesk 中：表格上方的“系统提示词”框）。它会加到每个示例中，和训练好的模型对话时也会用到。</translation>
    </message>
    <message>
        <source>Not every example uses the same system prompt (see rows {rows}). Use one system prompt for all examples so the model learns one consistent way to answer.</source>
        <translation>并非所有示例都使用同一个系统提示词（见行 {rows}）。请统一使用一个，让模型学会一致的回答方式。</translation>
    </message>
</context>
<context>
    <name>Cli</name>
    <message>
        <source>{path}: the columns could not be recognised. Name them Question and Answer (or 问题 and 答案) in the first row, or import the file in the app to choose them.</source>
        <translation>{path}：无法识别各列。请在第一行将列命名为“问题”和“答案”（或 Question 和 Answer），或者在应用中导入该文件并手动选择列。</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>{path}, line {line}</source>
        <translation>{path}，第 {line} 行</translation>
    </message>
    <message>
        <source>{path}, row {row}</source>
        <translation>{path}，第 {row} 行</translation>
    </message>
    <message>
        <source>Unknown model {model}. Known models: {known}</source>
        <translation>未知模型 {model}。可用的模型：{known}</translation>
    </message>
    <message>
        <source>{path}: cannot be read: {reason}</source>
        <translation>{path}：无法读取：{reason}</translation>
    </message>
    <message>
        <source>{path}: {examples} examples, {tokens} tokens, {errors} errors, {warnings} warnings</source>
        <translation>{path}：{examples} 个示例，{tokens} 个 token，{errors} 个错误，{warnings} 个警告</translation>
    </message>
    <message>
        <source>--validation-fraction must be between 0 and 0.5, for example 0.1.</source>
        <translation>--validation-fraction 必须介于 0 和 0.5 之间，例如 0.1。</translation>
    </message>
    <message>
        <source>{path}: cannot be exported: {reason}</source>
        <translation>{path}：无法导出：{reason}</translation>
    </message>
    <message>
        <source>Cannot write to {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Wrote {train} training examples to {train_path}</source>
        <translation>已将 {train} 个训练示例写入 {train_path}</translation>
    </message>
    <message>
        <source>Wrote {count} validation examples to {path}</source>
        <translation>已将 {count} 个验证示例写入 {path}</translation>
    </message>
</context>
<context>
    <name>CloudAuth</name>
    <message>
        <source>Open {uri} on any device and enter the code {code}.</source>
        <translation>请在任意设备上打开 {uri}，然后输入代码 {code}。</translation>
    </message>
    <message>
        <source>This computer cannot store your sign-in securely, so you will need to sign in each time you start TuneDesk.</source>
        <translation>这台电脑无法安全地保存你的登录信息，因此每次启动 TuneDesk 时都需要重新登录。</translation>
    </message>
    <message>
        <source>Signed in as the app {client_id}</source>
        <translation>已以应用 {client_id} 的身份登录</translation>
    </message>
    <message>
        <source>Signed in as {user}</source>
        <translation>已登录：{user}</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>已登录</translation>
    </message>
</context>
<context>
    <name>CloudChat</name>
    <message>
        <source>Azure is busy, retrying in {seconds} s.</source>
        <translation>Azure 当前繁忙，{seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>Could not reach Azure, retrying in {seconds} s.</source>
        <translation>无法连接到 Azure，{seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>Azure had a problem, retrying in {seconds} s.</source>
        <translation>Azure 出现了问题，{seconds} 秒后重试。</translation>
    </message>
</context>
<context>
    <name>CloudDeploy</name>
    <message>
        <source>A deployed model is billed for every hour it exists, even when nobody uses it. Delete the deployment when you are done testing.</source>
        <translation>已部署的模型只要存在就会按小时计费，即使没人使用也一样。测试完成后，请删除部署。</translation>
    </message>
    <message>
        <source>Checkpoints cannot be deployed from a classic hub project: it keeps only the finished model.</source>
        <translation>无法从经典中心项目部署检查点：它只保留最终完成的模型。</translation>
    </message>
    <message>
        <source>Deploy the finished model instead.</source>
        <translation>请改为部署最终完成的模型。</translation>
    </message>
    <message>
        <source>A classic hub project deploys only as a serverless (pay-as-you-go) endpoint, not as &quot;{sku}&quot;.</source>
        <translation>经典中心项目只能部署为无服务器（即用即付）终结点，不能部署为“{sku}”。</translation>
    </message>
    <message>
        <source>Choose the serverless deployment.</source>
        <translation>请选择无服务器部署。</translation>
    </message>
</context>
<context>
    <name>CloudDiscovery</name>
    <message>
        <source>{model} cannot be trained. {status}</source>
        <translation>{model} 无法训练。{status}</translation>
    </message>
    <message>
        <source>{model} can only use global training in {region}: your data may be processed in another region.</source>
        <translation>{model} 在 {region} 只能使用全局训练：你的数据可能会在其他区域处理。</translation>
    </message>
    <message>
        <source>{model} cannot be fine-tuned in {region}. Regions that can: {regions}.</source>
        <translation>{model} 无法在 {region} 微调。支持微调的区域：{regions}。</translation>
    </message>
    <message>
        <source>{model} is trained in an Azure AI Foundry hub project, not in an Azure OpenAI resource.</source>
        <translation>{model} 需要在 Azure&#xa0;AI&#xa0;Foundry 中心项目中训练，而不是在 Azure&#xa0;OpenAI 资源中。</translation>
    </message>
    <message>
        <source>{model} is trained in an Azure OpenAI or Foundry resource, not in a hub project.</source>
        <translation>{model} 需要在 Azure&#xa0;OpenAI 资源或 Foundry 资源中训练，而不是在中心项目中。</translation>
    </message>
</context>
<context>
    <name>CloudErrors</name>
    <message>
        <source>You don&apos;t have permission to do this. Ask your Azure administrator to give you the &quot;{role}&quot; role on {scope}.</source>
        <translation>你没有执行此操作的权限。请让 Azure 管理员在{scope}上为你分配“{role}”角色。</translation>
    </message>
    <message>
        <source>After the role has been given, sign out and sign in again.</source>
        <translation>分配角色后，请退出登录再重新登录。</translation>
    </message>
    <message>
        <source>{model} cannot be fine-tuned in the region {region}.</source>
        <translation>{model} 无法在 {region} 区域微调。</translation>
    </message>
    <message>
        <source>Choose a project or resource in one of these regions: {regions}.</source>
        <translation>请选择位于以下区域之一的项目或资源：{regions}。</translation>
    </message>
    <message>
        <source>The model {model} cannot be fine-tuned here.</source>
        <translation>模型 {model} 无法在这里微调。</translation>
    </message>
    <message>
        <source>Choose another base model from the list.</source>
        <translation>请从列表中选择其他基础模型。</translation>
    </message>
    <message>
        <source>Your Azure quota is used up: too many training jobs or deployments are running or waiting.</source>
        <translation>你的 Azure 配额已用完：正在运行或排队的训练作业或部署太多了。</translation>
    </message>
    <message>
        <source>Wait for a running job to finish, cancel one, or delete a deployment you no longer need, then try again.</source>
        <translation>请等待正在运行的作业完成、取消一个作业，或删除不再需要的部署，然后重试。</translation>
    </message>
    <message>
        <source>Azure rejected the training file: {reason}</source>
        <translation>Azure 拒绝了训练文件：{reason}</translation>
    </message>
    <message>
        <source>Fix the problem in the table (the checklist shows most of them), then submit again.</source>
        <translation>请在表格中修正问题（检查清单会列出大部分问题），然后重新提交。</translation>
    </message>
    <message>
        <source>Azure is busy and asked us to slow down.</source>
        <translation>Azure 当前繁忙，要求放慢请求速度。</translation>
    </message>
    <message>
        <source>Try again in {seconds} seconds.</source>
        <translation>请在 {seconds} 秒后重试。</translation>
    </message>
    <message>
        <source>Your sign-in has expired.</source>
        <translation>登录已过期。</translation>
    </message>
    <message>
        <source>Sign in again; your work continues where it stopped.</source>
        <translation>请重新登录，工作会从中断的地方继续。</translation>
    </message>
    <message>
        <source>Please sign in to Microsoft Azure to continue.</source>
        <translation>请登录 Microsoft&#xa0;Azure 以继续。</translation>
    </message>
    <message>
        <source>Signing in to Microsoft Azure did not work.</source>
        <translation>未能登录 Microsoft&#xa0;Azure。</translation>
    </message>
    <message>
        <source>Check the account, the tenant and (for an app sign-in) the client ID and secret, then try again.</source>
        <translation>请检查帐户、租户，以及（使用应用登录时的）客户端 ID 和密钥，然后重试。</translation>
    </message>
    <message>
        <source>Azure did not accept the key.</source>
        <translation>Azure 不接受这个密钥。</translation>
    </message>
    <message>
        <source>Copy the key again from the Azure portal (Keys and Endpoint) or sign in with your Microsoft account instead.</source>
        <translation>请从 Azure 门户（“密钥和终结点”）重新复制密钥，或改用 Microsoft 帐户登录。</translation>
    </message>
    <message>
        <source>Azure could not find {what}.</source>
        <translation>Azure 找不到{what}。</translation>
    </message>
    <message>
        <source>It may have been deleted or renamed. Refresh the list and choose again.</source>
        <translation>它可能已被删除或重命名。请刷新列表后重新选择。</translation>
    </message>
    <message>
        <source>Azure has no deployment named &quot;{name}&quot;.</source>
        <translation>Azure 中没有名为“{name}”的部署。</translation>
    </message>
    <message>
        <source>If it was created in the last few minutes, wait a moment and try again. Otherwise it was deleted (Azure removes unused fine-tuned deployments after a while): deploy the model again.</source>
        <translation>如果它是几分钟前刚创建的，请稍等片刻再试。否则它已被删除（Azure 会在一段时间后删除未使用的微调部署）：请重新部署模型。</translation>
    </message>
    <message>
        <source>Azure&apos;s content filter blocked this question ({categories}), so the model did not answer.</source>
        <translation>Azure 的内容筛选器拦截了这个问题（{categories}），因此模型没有回答。</translation>
    </message>
    <message>
        <source>Azure&apos;s content filter blocked this question, so the model did not answer.</source>
        <translation>Azure 的内容筛选器拦截了这个问题，因此模型没有回答。</translation>
    </message>
    <message>
        <source>Rephrase the question and send it again. The filter is set on the Azure resource, not in TuneDesk.</source>
        <translation>请换一种说法后重新发送。筛选器是在 Azure 资源上设置的，而不是在 TuneDesk 中。</translation>
    </message>
    <message>
        <source>Azure&apos;s content filter stopped the answer ({categories}).</source>
        <translation>Azure 的内容筛选器中止了回答（{categories}）。</translation>
    </message>
    <message>
        <source>Azure&apos;s content filter stopped the answer.</source>
        <translation>Azure 的内容筛选器中止了回答。</translation>
    </message>
    <message>
        <source>Ask in other words. If your training answers trigger the filter, the model will keep being stopped: change those answers and train again.</source>
        <translation>请换一种问法。如果训练数据中的回答会触发筛选器，模型的回答会一再被中止：请修改这些回答后重新训练。</translation>
    </message>
    <message>
        <source>hate</source>
        <translation>仇恨</translation>
    </message>
    <message>
        <source>sexual content</source>
        <translation>色情内容</translation>
    </message>
    <message>
        <source>violence</source>
        <translation>暴力</translation>
    </message>
    <message>
        <source>self-harm</source>
        <translation>自我伤害</translation>
    </message>
    <message>
        <source>profanity</source>
        <translation>不雅用语</translation>
    </message>
    <message>
        <source>an attempt to get round the rules</source>
        <translation>试图绕过规则</translation>
    </message>
    <message>
        <source>protected text</source>
        <translation>受保护的文本</translation>
    </message>
    <message>
        <source>protected code</source>
        <translation>受保护的代码</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>The secure connection could not be checked. If your company inspects internet traffic, ask IT to install its certificate on this computer.</source>
        <translation>无法验证安全连接。如果你的公司会检查网络流量，请让 IT 部门在这台电脑上安装公司的证书。</translation>
    </message>
    <message>
        <source>The proxy server refused or dropped the connection. Check the proxy settings of this computer or ask IT.</source>
        <translation>代理服务器拒绝或断开了连接。请检查这台电脑的代理设置，或咨询 IT 部门。</translation>
    </message>
    <message>
        <source>Azure took too long to answer. Check your connection and retry.</source>
        <translation>Azure 响应超时。请检查网络连接后重试。</translation>
    </message>
    <message>
        <source>Check that this computer is online (and, at work, that the proxy settings are right), then retry.</source>
        <translation>请确认这台电脑已联网（在公司网络中还要确认代理设置正确），然后重试。</translation>
    </message>
    <message>
        <source>Could not reach Microsoft Azure.</source>
        <translation>无法连接到 Microsoft&#xa0;Azure。</translation>
    </message>
    <message>
        <source>Azure had a problem on its side.</source>
        <translation>Azure 服务端出现了问题。</translation>
    </message>
    <message>
        <source>This is usually temporary. Press Retry in a minute.</source>
        <translation>这通常是暂时的，请过一分钟再点击“重试”。</translation>
    </message>
    <message>
        <source>Azure refused the request: {detail}</source>
        <translation>Azure 拒绝了请求：{detail}</translation>
    </message>
    <message>
        <source>Azure does not allow the name &quot;{name}&quot;.</source>
        <translation>Azure 不允许使用名称“{name}”。</translation>
    </message>
    <message>
        <source>Azure could not create {what}.</source>
        <translation>Azure 未能创建{what}。</translation>
    </message>
    <message>
        <source>Azure said: {reason} Try again; if it fails again, choose another region.</source>
        <translation>Azure 的说明：{reason} 请重试；如果仍然失败，请选择其他区域。</translation>
    </message>
    <message>
        <source>Try again; if it fails again, choose another region.</source>
        <translation>请重试；如果仍然失败，请选择其他区域。</translation>
    </message>
    <message>
        <source>Azure has not finished creating {what} yet.</source>
        <translation>Azure 尚未完成创建{what}。</translation>
    </message>
    <message>
        <source>It usually finishes on its own. Press Retry in a few minutes: nothing is created twice.</source>
        <translation>通常它会自行完成。请过几分钟再点击“重试”：不会重复创建任何内容。</translation>
    </message>
    <message>
        <source>This computer has no working password store (keyring), so keys and secrets cannot be saved.</source>
        <translation>这台电脑没有可用的密码存储 (keyring)，因此无法保存密钥和机密。</translation>
    </message>
    <message>
        <source>You can continue: secrets are kept in memory until TuneDesk closes, and you will need to enter them again next time.</source>
        <translation>你可以继续使用：在 TuneDesk 关闭前，机密会保存在内存中，下次启动时需要重新输入。</translation>
    </message>
    <message>
        <source>the Azure AI Foundry project</source>
        <translation>该 Azure&#xa0;AI&#xa0;Foundry 项目</translation>
    </message>
    <message>
        <source>the Azure OpenAI resource</source>
        <translation>该 Azure&#xa0;OpenAI 资源</translation>
    </message>
    <message>
        <source>the subscription</source>
        <translation>该订阅</translation>
    </message>
    <message>
        <source>the project &quot;{name}&quot;</source>
        <translation>项目“{name}”</translation>
    </message>
    <message>
        <source>the resource &quot;{name}&quot;</source>
        <translation>资源“{name}”</translation>
    </message>
    <message>
        <source>the resource group &quot;{name}&quot;</source>
        <translation>资源组“{name}”</translation>
    </message>
    <message>
        <source>the deployment</source>
        <translation>该部署</translation>
    </message>
    <message>
        <source>the deployment &quot;{name}&quot;</source>
        <translation>部署“{name}”</translation>
    </message>
    <message>
        <source>the training job &quot;{job}&quot;</source>
        <translation>训练作业“{job}”</translation>
    </message>
    <message>
        <source>The training has not finished successfully yet.</source>
        <translation>训练尚未成功完成。</translation>
    </message>
    <message>
        <source>Wait until the job shows &quot;Succeeded&quot;, then deploy the model.</source>
        <translation>请等作业状态变为“已成功”（Succeeded）后，再部署模型。</translation>
    </message>
    <message>
        <source>Creating or deleting a deployment needs a Microsoft sign-in; a key alone is not enough.</source>
        <translation>创建或删除部署需要登录 Microsoft 帐户，仅有密钥是不够的。</translation>
    </message>
    <message>
        <source>Sign in with your Microsoft account and try again.</source>
        <translation>请使用 Microsoft 帐户登录，然后重试。</translation>
    </message>
</context>
<context>
    <name>CloudJobs</name>
    <message>
        <source>Job created</source>
        <translation>作业已创建</translation>
    </message>
    <message>
        <source>Training started</source>
        <translation>训练已开始</translation>
    </message>
    <message>
        <source>Job ended: {status}</source>
        <translation>作业已结束：{status}</translation>
    </message>
    <message>
        <source>The training failed: {reason}</source>
        <translation>训练失败：{reason}</translation>
    </message>
    <message>
        <source>The training failed. Azure did not say why.</source>
        <translation>训练失败，Azure 没有给出原因。</translation>
    </message>
</context>
<context>
    <name>CloudModels</name>
    <message>
        <source>Azure could not be asked for its current list of models, so this is the list that came with TuneDesk (last checked on {date}). Some models may no longer be offered.</source>
        <translation>无法从 Azure 获取最新的模型列表，因此这里显示的是 TuneDesk 自带的列表（最后核对于 {date}）。其中部分模型可能已不再提供。</translation>
    </message>
    <message>
        <source>Azure could not be asked which models this classic hub project can fine-tune, so this is the list that came with TuneDesk (last checked on {date}). Some models may no longer be offered.</source>
        <translation>无法向 Azure 查询此经典中心项目可以微调哪些模型，因此这里显示的是 TuneDesk 自带的列表（最后核对于 {date}）。其中部分模型可能已不再提供。</translation>
    </message>
</context>
<context>
    <name>CloudProvision</name>
    <message>
        <source>Choose one of these regions instead: {regions}.</source>
        <translation>请改选以下区域之一：{regions}。</translation>
    </message>
    <message>
        <source>A Foundry hub &quot;{hub}&quot; in {region}, with the storage account &quot;{storage}&quot; and the key vault &quot;{vault}&quot; it keeps its files and secrets in.</source>
        <translation>位于 {region} 的 Foundry 中心“{hub}”，以及它用来存放文件和机密的存储帐户“{storage}”和密钥保管库“{vault}”。</translation>
    </message>
    <message>
        <source>A project &quot;{project}&quot; in that hub, where {model} can be fine-tuned.</source>
        <translation>该中心内的项目“{project}”，可在其中微调 {model}。</translation>
    </message>
    <message>
        <source>Creating them costs nothing: you pay only once you use them, for training, for hosting a fine-tuned model and for the files you store.</source>
        <translation>创建它们不收取任何费用：只有在使用时才付费，包括训练、托管微调后的模型以及存储文件。</translation>
    </message>
    <message>
        <source>A Foundry resource (Azure AI Services) &quot;{name}&quot; in {region}, where {model} can be fine-tuned.</source>
        <translation>位于 {region} 的 Foundry 资源（Azure AI 服务）“{name}”，可在其中微调 {model}。</translation>
    </message>
    <message>
        <source>Creating it costs nothing: you pay only once you use it, for training, for hosting a fine-tuned model and for the questions it answers.</source>
        <translation>创建它不收取任何费用：只有在使用时才付费，包括训练、托管微调后的模型以及它回答的问题。</translation>
    </message>
    <message>
        <source>A resource group name has 1 to 90 letters, digits, hyphens, underscores, periods or parentheses, and cannot end with a period.</source>
        <translation>资源组名称由 1 到 90 个字母、数字、连字符、下划线、句点或括号组成，且不能以句点结尾。</translation>
    </message>
    <message>
        <source>A new resource group &quot;{group}&quot; in {region}.</source>
        <translation>位于 {region} 的新资源组“{group}”。</translation>
    </message>
    <message>
        <source>Everything goes into your resource group &quot;{group}&quot;.</source>
        <translation>所有内容都放在你的资源组“{group}”中。</translation>
    </message>
    <message>
        <source>Everything is ready.</source>
        <translation>一切就绪。</translation>
    </message>
    <message>
        <source>the storage account &quot;{name}&quot;</source>
        <translation>存储帐户“{name}”</translation>
    </message>
    <message>
        <source>the key vault &quot;{name}&quot;</source>
        <translation>密钥保管库“{name}”</translation>
    </message>
    <message>
        <source>the hub &quot;{name}&quot;</source>
        <translation>中心“{name}”</translation>
    </message>
    <message>
        <source>the Foundry resource &quot;{name}&quot;</source>
        <translation>Foundry 资源“{name}”</translation>
    </message>
    <message>
        <source>Creating {what}…</source>
        <translation>正在创建{what}…</translation>
    </message>
    <message>
        <source>Azure is still creating {what}; this can take a few minutes…</source>
        <translation>Azure 仍在创建{what}，这可能需要几分钟…</translation>
    </message>
</context>
<context>
    <name>CloudTraining</name>
    <message>
        <source>Could not reach Azure. Checking again in {seconds} s.</source>
        <translation>无法连接到 Azure，{seconds} 秒后再次检查。</translation>
    </message>
    <message>
        <source>Azure had a problem. Checking again in {seconds} s.</source>
        <translation>Azure 出现了问题，{seconds} 秒后再次检查。</translation>
    </message>
    <message>
        <source>Azure asked us to slow down. Checking again in {seconds} s.</source>
        <translation>Azure 要求放慢请求速度，{seconds} 秒后再次检查。</translation>
    </message>
    <message>
        <source>Not submitted: no job was created on Azure.</source>
        <translation>未提交：没有在 Azure 上创建作业。</translation>
    </message>
</context>
<context>
    <name>CodeDialog</name>
    <message>
        <source>Code for this deployment</source>
        <translation>此部署的代码</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>curl</source>
        <translation>curl</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <source>Choose the columns</source>
        <translation>选择列</translation>
    </message>
    <message>
        <source>TuneDesk could not tell which columns of {file} hold the questions and which hold the answers. Please choose them.</source>
        <translation>TuneDesk 无法判断 {file} 中哪一列是问题、哪一列是答案，请手动选择。</translation>
    </message>
    <message>
        <source>The first row holds column names</source>
        <translation>第一行是列名</translation>
    </message>
    <message>
        <source>Questions are in</source>
        <translation>问题所在列</translation>
    </message>
    <message>
        <source>Answers are in</source>
        <translation>答案所在列</translation>
    </message>
    <message>
        <source>System prompt (optional)</source>
        <translation>系统提示词（可选）</translation>
    </message>
    <message>
        <source>Split (optional)</source>
        <translation>划分（可选）</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Column {number}</source>
        <translation>第 {number} 列</translation>
    </message>
    <message>
        <source>Questions and answers must come from different columns.</source>
        <translation>问题和答案必须来自不同的列。</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>TuneDesk</source>
        <translation>TuneDesk</translation>
    </message>
    <message>
        <source>Something went wrong inside TuneDesk.</source>
        <translation>TuneDesk 出了点问题。</translation>
    </message>
    <message>
        <source>Your work is saved as you go, so nothing you entered is lost. You can keep working, or restart TuneDesk if something looks wrong.

A report was saved to:
{path}</source>
        <translation>你的工作会随时自动保存，输入的内容都不会丢失。你可以继续工作；如果发现有什么不对劲，也可以重新启动 TuneDesk。

错误报告已保存到：
{path}</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
</context>
<context>
    <name>CreatePlaceDialog</name>
    <message>
        <source>Create a place to train</source>
        <translation>创建用于训练的资源</translation>
    </message>
    <message>
        <source>TuneDesk sets up what {model} needs in your subscription “{subscription}”, in a region where it can be fine-tuned.</source>
        <translation>TuneDesk 会在你的订阅“{subscription}”中创建 {model} 所需的资源，所在区域可以微调该模型。</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Resource group</source>
        <translation>资源组</translation>
    </message>
    <message>
        <source>Create a new resource group named:</source>
        <translation>新建资源组，名称为：</translation>
    </message>
    <message>
        <source>Use an existing resource group:</source>
        <translation>使用现有资源组：</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>{group} ({region})</source>
        <translation>{group}（{region}）</translation>
    </message>
    <message>
        <source>Choose a region and a resource group.</source>
        <translation>请选择区域和资源组。</translation>
    </message>
    <message>
        <source>What will be created:</source>
        <translation>将创建以下内容：</translation>
    </message>
    <message>
        <source>Creating… this usually takes a minute or two.</source>
        <translation>正在创建…通常需要一两分钟。</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
</context>
<context>
    <name>DataExporter</name>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported {train} training and {validation} validation examples to {folder}.</source>
        <translation>已将 {train} 个训练示例和 {validation} 个验证示例导出到 {folder}。</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Azure will reject this data. Problems to fix first: {count}.</source>
        <translation>Azure 会拒绝这些数据，需要先修正 {count} 个问题。</translation>
    </message>
    <message>
        <source>Export anyway?</source>
        <translation>仍要导出吗？</translation>
    </message>
    <message>
        <source>Export anyway</source>
        <translation>仍然导出</translation>
    </message>
</context>
<context>
    <name>DataImporter</name>
    <message>
        <source>Import questions and answers</source>
        <translation>导入问题和答案</translation>
    </message>
    <message>
        <source>Spreadsheets and data files ({patterns})</source>
        <translation>电子表格和数据文件 ({patterns})</translation>
    </message>
    <message>
        <source>Reading {file}…</source>
        <translation>正在读取 {file}…</translation>
    </message>
    <message>
        <source>{file}: loaded {ok} of {total} lines; lines that could not be read: {bad} (see the checklist).</source>
        <translation>{file}：已载入 {ok}/{total} 行，有 {bad} 行无法读取（见检查清单）。</translation>
    </message>
    <message>
        <source>{file}: examples loaded: {count}.</source>
        <translation>{file}：已载入 {count} 个示例。</translation>
    </message>
    <message>
        <source>Import cancelled.</source>
        <translation>已取消导入。</translation>
    </message>
    <message>
        <source>Import {count} examples</source>
        <translation>导入 {count} 个示例</translation>
    </message>
    <message>
        <source>Cannot import {file}</source>
        <translation>无法导入 {file}</translation>
    </message>
    <message>
        <source>Line {line}.</source>
        <translation>第 {line} 行。</translation>
    </message>
    <message>
        <source>Nothing in your table was changed.</source>
        <translation>表格中的内容没有任何改动。</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>The table already has rows ({count}). What should happen to them?</source>
        <translation>表格中已有 {count} 行，要如何处理它们？</translation>
    </message>
    <message>
        <source>You can undo the import either way.</source>
        <translation>两种方式都可以撤销。</translation>
    </message>
    <message>
        <source>Append the new rows</source>
        <translation>追加新行</translation>
    </message>
    <message>
        <source>Replace them</source>
        <translation>替换现有行</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Add question</source>
        <translation>添加问题</translation>
    </message>
    <message>
        <source>Add a row at the end (Ctrl+Enter)</source>
        <translation>在末尾添加一行 (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Paraphrase the selected questions…</source>
        <translation>改写所选问题…</translation>
    </message>
    <message>
        <source>Search questions and answers</source>
        <translation>搜索问题和答案</translation>
    </message>
    <message>
        <source>Wait for the import or export to finish.</source>
        <translation>请等当前的导入或导出完成。</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Draft from documents…</source>
        <translation>从文档起草…</translation>
    </message>
    <message>
        <source>Let a model you deployed draft questions and answers from your handbooks, policies or product sheets; you review every one</source>
        <translation>让你部署的模型根据你的手册、制度或产品资料起草问答；每一条都由你审核</translation>
    </message>
    <message>
        <source>Ask the selected questions in other words, keeping their answers: a model remembers a fact better when it has seen it asked several ways</source>
        <translation>用别的说法提出所选的问题，答案保持不变：模型见过同一事实的多种问法，会记得更牢</translation>
    </message>
    <message>
        <source>Clear cells</source>
        <translation>清除单元格</translation>
    </message>
    <message>
        <source>Insert row</source>
        <translation>插入行</translation>
    </message>
    <message>
        <source>Find and replace</source>
        <translation>查找和替换</translation>
    </message>
    <message>
        <source>{examples} examples · {errors} errors · {warnings} warnings</source>
        <translation>{examples} 个示例 · {errors} 个错误 · {warnings} 个警告</translation>
    </message>
    <message>
        <source>Training tokens: {training} per epoch; Azure chooses the epochs, typically {epochs} for this many examples (about {trained})</source>
        <translation>训练 token 数：每轮 {training}；轮数由 Azure 决定，这么多示例通常为 {epochs} 轮（约 {trained}）</translation>
    </message>
    <message>
        <source>Training tokens: {training} per epoch × {epochs} epochs = {trained}</source>
        <translation>训练 token 数：每轮 {training} × {epochs} 轮 = {trained}</translation>
    </message>
    <message>
        <source>Drafts to review: {count}</source>
        <translation>待审核草稿：{count}</translation>
    </message>
    <message>
        <source>Fixed. Undo (Ctrl+Z) brings it back.</source>
        <translation>已修复。按 Ctrl+Z 可以撤销。</translation>
    </message>
    <message>
        <source>Sort by {column}</source>
        <translation>按“{column}”排序</translation>
    </message>
    <message>
        <source>Rows sorted by {column}. Undo puts them back.</source>
        <translation>已按“{column}”排序。撤销即可恢复原来的顺序。</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>添加行</translation>
    </message>
    <message>
        <source>Delete rows ({count})</source>
        <translation>删除 {count} 行</translation>
    </message>
    <message>
        <source>Rows deleted: {count}.</source>
        <translation>已删除 {count} 行。</translation>
    </message>
</context>
<context>
    <name>DeployPage</name>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>Put a trained model online to chat with it. Azure bills a deployment for every hour it exists, used or not (except Developer ones, which are free and end after 24 hours), so delete it when you are done testing.</source>
        <translation>将训练好的模型上线，就可以和它对话了。部署只要存在，无论是否使用，Azure 都会按小时计费（开发人员部署除外：它不收小时费用，24 小时后自动结束），所以测试完成后请删除部署。</translation>
    </message>
    <message>
        <source>Trained models</source>
        <translation>训练好的模型</translation>
    </message>
    <message>
        <source>No training of this project has finished yet in this place.</source>
        <translation>此项目在这个训练位置还没有完成的训练。</translation>
    </message>
    <message>
        <source>Online now</source>
        <translation>当前在线</translation>
    </message>
    <message>
        <source>Nothing of this project is deployed.</source>
        <translation>此项目还没有任何部署。</translation>
    </message>
    <message>
        <source>Still billed on Azure, until you delete it:</source>
        <translation>以下部署在你删除之前，Azure 会一直计费：</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Global Standard</source>
        <translation>全局标准</translation>
    </message>
    <message>
        <source>Developer</source>
        <translation>开发人员</translation>
    </message>
    <message>
        <source>Serverless</source>
        <translation>无服务器</translation>
    </message>
    <message>
        <source>about {price} per hour while it exists</source>
        <translation>存在期间每小时约 {price}</translation>
    </message>
    <message>
        <source>billed by the hour while it exists (see Azure&apos;s price list)</source>
        <translation>存在期间按小时计费（请参阅 Azure 价目表）</translation>
    </message>
    <message>
        <source>Hosted in this region; {hourly}.</source>
        <translation>在此区域托管；{hourly}。</translation>
    </message>
    <message>
        <source>Hosted wherever Azure has room (your questions may be processed outside this region); {hourly}.</source>
        <translation>在 Azure 任何有空闲算力的地方托管（你的问题可能会在此区域以外处理）；{hourly}。</translation>
    </message>
    <message>
        <source>For testing: no hourly fee, you pay only for what you ask; Azure deletes it after {hours} hours by itself.</source>
        <translation>用于测试：不收小时费用，只按你的提问付费；{hours} 小时后 Azure 会自动删除它。</translation>
    </message>
    <message>
        <source>A serverless endpoint in the hub project; {hourly}, plus the tokens you use.</source>
        <translation>中心项目中的无服务器终结点；{hourly}，另按使用的 token 计费。</translation>
    </message>
    <message>
        <source>Loading checkpoints…</source>
        <translation>正在加载检查点…</translation>
    </message>
    <message>
        <source>Azure is setting up {name}. This usually takes a few minutes; you can keep working meanwhile.</source>
        <translation>Azure 正在准备 {name}，通常需要几分钟；在此期间你可以继续工作。</translation>
    </message>
    <message>
        <source>{name} is online. You can chat with it now.</source>
        <translation>{name} 已上线，现在可以和它对话了。</translation>
    </message>
    <message>
        <source>Deploying…</source>
        <translation>正在部署…</translation>
    </message>
    <message>
        <source>Azure is setting up {name} (the base model). This takes a few minutes.</source>
        <translation>Azure 正在准备 {name}（基础模型），这需要几分钟。</translation>
    </message>
    <message>
        <source>Delete deployment</source>
        <translation>删除部署</translation>
    </message>
    <message>
        <source>Delete {name}?</source>
        <translation>要删除 {name} 吗？</translation>
    </message>
    <message>
        <source>It goes offline and its hourly billing stops. The trained model itself is kept: you can deploy it again later.</source>
        <translation>删除后它会下线，按小时计费也随之停止。训练好的模型本身会保留，以后可以重新部署。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Deleting…</source>
        <translation>正在删除…</translation>
    </message>
    <message>
        <source>{name} was deleted.</source>
        <translation>已删除 {name}。</translation>
    </message>
</context>
<context>
    <name>Deployments</name>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} 小时</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分钟</translation>
    </message>
    <message>
        <source>{days} days {hours} h</source>
        <translation>{days} 天 {hours} 小时</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>No hourly fee; Azure removes it 24 hours after it was created</source>
        <translation>不收小时费用；Azure 会在创建 24 小时后删除它</translation>
    </message>
    <message>
        <source>No hourly fee; Azure removed it on {date} at {time}</source>
        <translation>不收小时费用；Azure 已于 {date} {time} 删除它</translation>
    </message>
    <message>
        <source>No hourly fee; Azure removes it on {date} at {time}</source>
        <translation>不收小时费用；Azure 将于 {date} {time} 删除它</translation>
    </message>
    <message>
        <source>No hourly fee; billed for the words it reads and writes</source>
        <translation>不收小时费用；按它读取和写出的文字量计费</translation>
    </message>
    <message>
        <source>Billed per hour while it exists (no published price); running for {elapsed} so far</source>
        <translation>存在期间按小时计费（无公开价格）；目前已运行 {elapsed}</translation>
    </message>
    <message>
        <source>Billed about {price} per hour while it exists; running for {elapsed} so far (about {cost})</source>
        <translation>存在期间每小时约 {price}；目前已运行 {elapsed}（约 {cost}）</translation>
    </message>
</context>
<context>
    <name>DeviceCodeView</name>
    <message>
        <source>Sign in on another device</source>
        <translation>在其他设备上登录</translation>
    </message>
    <message>
        <source>2. Enter this code, then sign in with your work account:</source>
        <translation>2. 输入下面的代码，然后使用工作帐户登录：</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>TuneDesk continues by itself as soon as you have signed in.</source>
        <translation>登录完成后，TuneDesk 会自动继续。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Asking Microsoft for a code…</source>
        <translation>正在向 Microsoft 获取代码…</translation>
    </message>
    <message>
        <source>1. On your phone or another computer, open {link}</source>
        <translation>1. 在手机或其他电脑上打开 {link}</translation>
    </message>
    <message>
        <source>This code has expired. Cancel and try again.</source>
        <translation>此代码已过期。请点击“取消”，然后重试。</translation>
    </message>
    <message>
        <source>The code is valid for {minutes}:{seconds:02d} more.</source>
        <translation>代码剩余有效时间：{minutes}:{seconds:02d}。</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>{name} is not a kind of document TuneDesk can read.</source>
        <translation>TuneDesk 无法读取 {name} 这种类型的文档。</translation>
    </message>
    <message>
        <source>Add a PDF, Word, HTML, Markdown or text file ({kinds}). Other documents can be saved as PDF or .docx first.</source>
        <translation>请添加 PDF、Word、HTML、Markdown 或文本文件（{kinds}）。其他文档可以先另存为 PDF 或 .docx。</translation>
    </message>
    <message>
        <source>{name} could not be read ({reason}).</source>
        <translation>无法读取 {name}（{reason}）。</translation>
    </message>
    <message>
        <source>Check that the file still exists and that you can open it, then add it again.</source>
        <translation>请确认文件仍然存在并且可以打开，然后重新添加。</translation>
    </message>
    <message>
        <source>{name} contains no text.</source>
        <translation>{name} 中没有文字。</translation>
    </message>
    <message>
        <source>Choose a document with the text you want TuneDesk to learn from.</source>
        <translation>请选择包含你希望 TuneDesk 学习的文字的文档。</translation>
    </message>
    <message>
        <source>{name} is protected with a password, so TuneDesk cannot read it.</source>
        <translation>{name} 设有密码保护，TuneDesk 无法读取。</translation>
    </message>
    <message>
        <source>Remove the password (for example open it with the password and print it to a new PDF), then add the new file again.</source>
        <translation>请先去掉密码（例如用密码打开后“打印”为新的 PDF），然后添加新文件。</translation>
    </message>
    <message>
        <source>{name} has no text layer, probably a scanned document: TuneDesk cannot read text from images.</source>
        <translation>{name} 没有文字层，可能是扫描件：TuneDesk 无法从图片中读取文字。</translation>
    </message>
    <message>
        <source>Run OCR (text recognition) on it, or paste its text into a .txt file and add that instead.</source>
        <translation>请先对它进行 OCR（文字识别），或者把其中的文字粘贴到 .txt 文件中，再添加该文件。</translation>
    </message>
    <message>
        <source>{name} could not be read as a PDF ({reason}).</source>
        <translation>无法把 {name} 作为 PDF 读取（{reason}）。</translation>
    </message>
    <message>
        <source>The file may be damaged. If it opens in a PDF viewer, print it to a new PDF and add that instead.</source>
        <translation>文件可能已损坏。如果它能在 PDF 阅读器中打开，请“打印”为新的 PDF，再添加新文件。</translation>
    </message>
    <message>
        <source>{name} is not a Word .docx file.</source>
        <translation>{name} 不是 Word .docx 文件。</translation>
    </message>
    <message>
        <source>If it is an old .doc file, open it in Word and save it as .docx (File &gt; Save As), then add it again.</source>
        <translation>如果它是旧的 .doc 文件，请在 Word 中打开并另存为 .docx（文件 &gt; 另存为），然后重新添加。</translation>
    </message>
    <message>
        <source>{name} could not be read as a Word document ({reason}).</source>
        <translation>无法把 {name} 作为 Word 文档读取（{reason}）。</translation>
    </message>
    <message>
        <source>The file may be damaged. Open it in Word, save it again as .docx and add it again.</source>
        <translation>文件可能已损坏。请在 Word 中打开，重新另存为 .docx，然后再次添加。</translation>
    </message>
    <message>
        <source>Save it again as UTF-8 text (in most editors: Save As, Encoding UTF-8) and add it again.</source>
        <translation>请把它重新保存为 UTF-8 文本（大多数编辑器中：另存为，编码选 UTF-8），然后重新添加。</translation>
    </message>
</context>
<context>
    <name>DraftDialog</name>
    <message>
        <source>Draft questions and answers from documents</source>
        <translation>从文档起草问答</translation>
    </message>
    <message>
        <source>Add your handbooks, policies or product sheets. A model you deployed reads them passage by passage and drafts questions a person might ask, with answers taken only from the text, in the document&apos;s language. Every pair lands in the table as a draft for you to accept, edit or reject.</source>
        <translation>添加你的手册、制度或产品资料。你部署的模型会逐段阅读，起草别人可能会问的问题，答案只取自原文，并使用文档本身的语言。每一对问答都会作为草稿放进表格，由你接受、修改或拒绝。</translation>
    </message>
    <message>
        <source>Pairs per passage:</source>
        <translation>每段问答数：</translation>
    </message>
    <message>
        <source>Start drafting</source>
        <translation>开始起草</translation>
    </message>
    <message>
        <source>Paraphrase questions</source>
        <translation>改写问题</translation>
    </message>
    <message>
        <source>A model remembers a fact far better when it has seen it asked several ways. A model you deployed writes other wordings of each question below; each keeps its answer and lands under its original as a draft. The validation split keeps a question and its rephrasings together.</source>
        <translation>模型见过同一事实的多种问法，会记得牢得多。你部署的模型会为下面每个问题写出其他说法；每个说法保留原来的答案，作为草稿放在原问题下方。划分验证集时，一个问题和它的改写会始终分在同一边。</translation>
    </message>
    <message>
        <source>Rephrasings per question:</source>
        <translation>每个问题的改写数：</translation>
    </message>
    <message>
        <source>Start paraphrasing</source>
        <translation>开始改写</translation>
    </message>
    <message>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Or drag files here: PDF, Word (.docx), Markdown, text or HTML.</source>
        <translation>也可以把文件拖到这里：PDF、Word（.docx）、Markdown、文本或 HTML。</translation>
    </message>
    <message>
        <source>Model that drafts:</source>
        <translation>起草所用的模型：</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>重新开始</translation>
    </message>
    <message>
        <source>{name} ({model})</source>
        <translation>{name}（{model}）</translation>
    </message>
    <message>
        <source>Drafting needs Azure: sign in and choose a place on the Sign in page, and deploy a model there. Everything else on the Data page works offline.</source>
        <translation>起草需要 Azure：请在“登录”页上登录并选择训练位置，并在那里部署一个模型。“数据”页上的其他功能都可以离线使用。</translation>
    </message>
    <message>
        <source>Drafting needs a chat model online in this place: deploy one on the Deploy page (the base model works well), then come back.</source>
        <translation>起草需要在这个训练位置有一个在线的对话模型：请在“部署”页上部署一个（基础模型就很好用），然后再回来。</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.docx *.md *.markdown *.txt *.html *.htm)</source>
        <translation>文档 (*.pdf *.docx *.md *.markdown *.txt *.html *.htm)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading the documents…</source>
        <translation>正在读取文档…</translation>
    </message>
    <message>
        <source>{message} {hint}</source>
        <translation>{message}{hint}</translation>
    </message>
    <message>
        <source>{name}: reading…</source>
        <translation>{name}：正在读取…</translation>
    </message>
    <message>
        <source>{line} · drafted</source>
        <translation>{line} · 已起草</translation>
    </message>
    <message>
        <source>{name}: 1 passage, on page {page}</source>
        <translation>{name}：1 段，在第 {page} 页</translation>
    </message>
    <message>
        <source>{name}: 1 passage</source>
        <translation>{name}：1 段</translation>
    </message>
    <message>
        <source>{name}: {count} passages on 1 page</source>
        <translation>{name}：{count} 段，共 1 页</translation>
    </message>
    <message>
        <source>{name}: {count} passages on {pages} pages</source>
        <translation>{name}：{count} 段，共 {pages} 页</translation>
    </message>
    <message>
        <source>{name}: {count} passages</source>
        <translation>{name}：{count} 段</translation>
    </message>
    <message>
        <source>Select the rows whose questions should be asked other ways (rows with a question and an answer), then choose Paraphrase again.</source>
        <translation>请先选择需要换种问法的行（有问题也有答案的行），然后再选择“改写问题”。</translation>
    </message>
    <message>
        <source>Estimating…</source>
        <translation>正在估算…</translation>
    </message>
    <message>
        <source>{count} passages, one request each</source>
        <translation>{count} 段，每段一次请求</translation>
    </message>
    <message>
        <source>{count} questions, one request each</source>
        <translation>{count} 个问题，每个一次请求</translation>
    </message>
    <message>
        <source>about {input} tokens in and {output} out</source>
        <translation>约输入 {input} 个 token、输出 {output} 个 token</translation>
    </message>
    <message>
        <source>this model has no published price in TuneDesk; Azure bills it per token</source>
        <translation>TuneDesk 中没有这个模型的公开价格；Azure 按 token 计费</translation>
    </message>
    <message>
        <source>less than 0.01 {currency}</source>
        <translation>不到 0.01 {currency}</translation>
    </message>
    <message>
        <source>about {cost} {currency}</source>
        <translation>约 {cost} {currency}</translation>
    </message>
    <message>
        <source>Before you start: {what}; {tokens}; {cost}.</source>
        <translation>开始前的估算：{what}；{tokens}；{cost}。</translation>
    </message>
    <message>
        <source>An earlier drafting run stopped after {done} of {total} passages.</source>
        <translation>上一次起草在完成 {total} 段中的 {done} 段后停止了。</translation>
    </message>
    <message>
        <source>From: {files}. Resume drafts only the passages still missing.</source>
        <translation>来源：{files}。点击“继续”只会起草尚未完成的段落。</translation>
    </message>
    <message>
        <source>Connecting to {name}…</source>
        <translation>正在连接 {name}…</translation>
    </message>
    <message>
        <source>Drafting…</source>
        <translation>正在起草…</translation>
    </message>
    <message>
        <source>Add {count} drafts from {passages} passages</source>
        <translation>添加来自 {passages} 个段落的 {count} 条草稿</translation>
    </message>
    <message>
        <source>{name}, page {page}</source>
        <translation>{name}，第 {page} 页</translation>
    </message>
    <message>
        <source>Add drafts from {where}</source>
        <translation>添加来自 {where} 的草稿</translation>
    </message>
    <message>
        <source>Add {count} rephrasings of row {row}</source>
        <translation>添加第 {row} 行的 {count} 个改写</translation>
    </message>
    <message>
        <source>{done} of {total} passages · {pairs} drafts so far</source>
        <translation>已完成 {done}/{total} 段 · 已起草 {pairs} 条</translation>
    </message>
    <message>
        <source>{done} of {total} questions · {pairs} rephrasings so far</source>
        <translation>已完成 {done}/{total} 个问题 · 已改写 {pairs} 条</translation>
    </message>
    <message>
        <source>{progress} · paused: press Resume to go on</source>
        <translation>{progress} · 已暂停：点击“继续”接着进行</translation>
    </message>
    <message>
        <source>Skipped, with nothing drafted: {list}</source>
        <translation>已跳过，没有起草任何内容：{list}</translation>
    </message>
    <message>
        <source>Azure&apos;s content filter stopped it</source>
        <translation>被 Azure 的内容筛选拦下</translation>
    </message>
    <message>
        <source>the model&apos;s reply could not be read, twice</source>
        <translation>模型的回复两次都无法读取</translation>
    </message>
    <message>
        <source>{where} ({why})</source>
        <translation>{where}（{why}）</translation>
    </message>
    <message>
        <source>Tokens used: {input} in, {output} out.</source>
        <translation>实际使用的 token：输入 {input}，输出 {output}。</translation>
    </message>
    <message>
        <source>Done: {count} drafts are in the table. Show: Drafts to review lists them.</source>
        <translation>完成：表格中新增了 {count} 条草稿。在“显示”中选择“待审核草稿”即可列出它们。</translation>
    </message>
    <message>
        <source>Stopped: {count} drafts are in the table. Open this again to resume the passages still missing.</source>
        <translation>已停止：表格中新增了 {count} 条草稿。再次打开此窗口即可继续起草剩下的段落。</translation>
    </message>
    <message>
        <source>Done: {count} rephrasings are in the table, under their questions.</source>
        <translation>完成：表格中新增了 {count} 条改写，位于各自的原问题下方。</translation>
    </message>
    <message>
        <source>Stopped: {count} rephrasings are in the table.</source>
        <translation>已停止：表格中新增了 {count} 条改写。</translation>
    </message>
    <message>
        <source>Pausing: the passages in progress finish, then it waits for Resume.</source>
        <translation>正在暂停：进行中的段落完成后，将等待你点击“继续”。</translation>
    </message>
</context>
<context>
    <name>DraftsBar</name>
    <message>
        <source>Accept selected</source>
        <translation>接受所选</translation>
    </message>
    <message>
        <source>The selected drafts are checked: train on them</source>
        <translation>所选草稿已核对：用它们训练</translation>
    </message>
    <message>
        <source>Reject selected</source>
        <translation>拒绝所选</translation>
    </message>
    <message>
        <source>Remove the selected drafts (Undo brings them back)</source>
        <translation>删除所选草稿（撤销即可恢复）</translation>
    </message>
    <message>
        <source>Accept all…</source>
        <translation>全部接受…</translation>
    </message>
    <message>
        <source>Show only drafts</source>
        <translation>只显示草稿</translation>
    </message>
    <message>
        <source>1 draft to review</source>
        <translation>1 条草稿待审核</translation>
    </message>
    <message>
        <source>{count} drafts to review</source>
        <translation>{count} 条草稿待审核</translation>
    </message>
    <message>
        <source>A model wrote these rows. Check each against its source (in the panel on the right), then accept, edit or reject it.</source>
        <translation>这些行是模型写的。请对照来源（在右侧面板中）逐条核对，然后接受、修改或拒绝。</translation>
    </message>
    <message>
        <source>Accept {count} drafts</source>
        <translation>接受 {count} 条草稿</translation>
    </message>
    <message>
        <source>Reject {count} drafts</source>
        <translation>拒绝 {count} 条草稿</translation>
    </message>
    <message>
        <source>Accept all drafts</source>
        <translation>全部接受草稿</translation>
    </message>
    <message>
        <source>Accept all {count} drafts without reading them?</source>
        <translation>不阅读就接受全部 {count} 条草稿吗？</translation>
    </message>
    <message>
        <source>A wrong draft teaches the model a wrong answer. Undo takes this back.</source>
        <translation>错误的草稿会教给模型错误的答案。撤销可以恢复。</translation>
    </message>
    <message>
        <source>Accept all</source>
        <translation>全部接受</translation>
    </message>
    <message>
        <source>Keep reviewing</source>
        <translation>继续审核</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Teach the model what you know</source>
        <translation>把你的知识教给模型</translation>
    </message>
    <message>
        <source>Write the questions people ask and the answers you want the model to give. Azure needs at least 10 examples; 50 to 100 good ones work much better.</source>
        <translation>写下大家常问的问题，以及你希望模型给出的答案。Azure 至少需要 10 个示例；准备 50 到 100 个优质示例，效果会好得多。</translation>
    </message>
    <message>
        <source>Excel (.xlsx), CSV, TSV and JSONL files work: a column of questions and a column of answers is enough. You can also drop files here or paste cells copied from Excel (Ctrl+V).</source>
        <translation>支持 Excel (.xlsx)、CSV、TSV 和 JSONL 文件，有一列问题和一列答案就够了。也可以把文件拖到这里，或粘贴从 Excel 复制的单元格 (Ctrl+V)。</translation>
    </message>
    <message>
        <source>Add a question</source>
        <translation>添加问题</translation>
    </message>
    <message>
        <source>Import a file…</source>
        <translation>导入文件…</translation>
    </message>
</context>
<context>
    <name>ExampleDetailPanel</name>
    <message>
        <source>Remove this message</source>
        <translation>删除这条消息</translation>
    </message>
    <message>
        <source>Selected example</source>
        <translation>所选示例</translation>
    </message>
    <message>
        <source>Select a row to see and edit the whole conversation.</source>
        <translation>选择一行，即可查看和编辑完整对话。</translation>
    </message>
    <message>
        <source>Add turn</source>
        <translation>添加追问</translation>
    </message>
    <message>
        <source>Add a follow-up question and its answer</source>
        <translation>添加一个追问及其答案</translation>
    </message>
    <message>
        <source>A note for yourself (not used for training)</source>
        <translation>写给自己的备注（不用于训练）</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <source>You checked it: it is training data now</source>
        <translation>你已核对：它现在是训练数据</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <source>Remove this draft (Undo brings it back)</source>
        <translation>删除这条草稿（撤销即可恢复）</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Question (user)</source>
        <translation>问题（用户）</translation>
    </message>
    <message>
        <source>Answer (assistant)</source>
        <translation>答案（助手）</translation>
    </message>
    <message>
        <source>Row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>Another wording of a question no longer in the table.</source>
        <translation>某个问题的另一种说法（原问题已不在表格中）。</translation>
    </message>
    <message>
        <source>Another wording of the question in row {row}:</source>
        <translation>第 {row} 行问题的另一种说法：</translation>
    </message>
    <message>
        <source>Drafted from {name}, page {page}:</source>
        <translation>起草自 {name}，第 {page} 页：</translation>
    </message>
    <message>
        <source>Drafted from {name}:</source>
        <translation>起草自 {name}：</translation>
    </message>
    <message>
        <source>Drafted by a model.</source>
        <translation>由模型起草。</translation>
    </message>
    <message>
        <source>Draft: check it against the source, then accept, edit or reject it.</source>
        <translation>草稿：请对照来源核对，然后接受、修改或拒绝。</translation>
    </message>
    <message>
        <source>Reviewed.</source>
        <translation>已审核。</translation>
    </message>
    <message>
        <source>Accept draft</source>
        <translation>接受草稿</translation>
    </message>
    <message>
        <source>Reject draft</source>
        <translation>拒绝草稿</translation>
    </message>
    <message>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <source>Remove message</source>
        <translation>删除消息</translation>
    </message>
    <message>
        <source>Change split</source>
        <translation>更改划分</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>编辑备注</translation>
    </message>
</context>
<context>
    <name>ExamplesFilterModel</name>
    <message>
        <source>All rows</source>
        <translation>所有行</translation>
    </message>
    <message>
        <source>Rows with problems</source>
        <translation>有问题的行</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>仅错误</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Multi-turn</source>
        <translation>多轮对话</translation>
    </message>
    <message>
        <source>Drafts to review</source>
        <translation>待审核草稿</translation>
    </message>
</context>
<context>
    <name>ExamplesTableModel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Which examples the model learns from (Train) and which it is tested on (Validation). Auto lets TuneDesk choose.</source>
        <translation>模型用哪些示例来学习（训练），用哪些来检验（验证）。选“自动”则由 TuneDesk 决定。</translation>
    </message>
    <message>
        <source>A conversation with several turns: edit all of it in the panel on the right.</source>
        <translation>这是一段多轮对话，请在右侧面板中编辑完整内容。</translation>
    </message>
    <message>
        <source>(+{count} more turns)</source>
        <translation>（还有 {count} 轮对话）</translation>
    </message>
    <message>
        <source>(only a system message)</source>
        <translation>（只有系统消息）</translation>
    </message>
    <message>
        <source>Auto → {split}</source>
        <translation>自动 → {split}</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>{count} errors</source>
        <translation>{count} 个错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>{count} warnings</source>
        <translation>{count} 个警告</translation>
    </message>
    <message>
        <source>Edit cell</source>
        <translation>编辑单元格</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>TuneDesk could not write {file} ({reason}).</source>
        <translation>TuneDesk 无法写入 {file}（{reason}）。</translation>
    </message>
    <message>
        <source>Check that the folder exists, that you may write to it and that the disk is not full, then try again.</source>
        <translation>请确认文件夹存在、你有写入权限，并且磁盘没有满，然后重试。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export training files</source>
        <translation>导出训练文件</translation>
    </message>
    <message>
        <source>TuneDesk writes train.jsonl (and validation.jsonl) in the chat format Azure AI Foundry expects.</source>
        <translation>TuneDesk 会按 Azure&#xa0;AI&#xa0;Foundry 要求的对话格式，生成 train.jsonl（及 validation.jsonl）。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Examples held back to measure how well the model learned. 0 = none.</source>
        <translation>留出来检验模型学习效果的示例。0 表示不留。</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Validation examples</source>
        <translation>验证示例</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Choose a folder</source>
        <translation>选择文件夹</translation>
    </message>
</context>
<context>
    <name>FindReplaceBar</name>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>When off, capitals and full-width or half-width forms count as the same: ? also finds ？, and abc also finds ABC.</source>
        <translation>不勾选时，不区分大小写和全角/半角：? 也能找到 ？，A 也能找到 ａ。</translation>
    </message>
    <message>
        <source>Find previous (Shift+Enter)</source>
        <translation>查找上一个 (Shift+Enter)</translation>
    </message>
    <message>
        <source>Find next (Enter)</source>
        <translation>查找下一个 (Enter)</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Replace all</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Cells changed: {count}.</source>
        <translation>已修改 {count} 个单元格。</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>无匹配项</translation>
    </message>
    <message>
        <source>{pos} of {count}</source>
        <translation>{pos}/{count}</translation>
    </message>
    <message>
        <source>{count} matches</source>
        <translation>{count} 个匹配项</translation>
    </message>
</context>
<context>
    <name>FindingsModel</name>
    <message>
        <source>Use shared prompt</source>
        <translation>统一提示词</translation>
    </message>
    <message>
        <source>Use as system prompt</source>
        <translation>设为系统提示词</translation>
    </message>
    <message>
        <source>Remove duplicates</source>
        <translation>删除重复项</translation>
    </message>
    <message>
        <source>Trim spaces</source>
        <translation>去除空格</translation>
    </message>
    <message>
        <source>Remove empty rows</source>
        <translation>删除空行</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Row {row}</source>
        <translation>第 {row} 行</translation>
    </message>
    <message>
        <source>Line {line} of {file}</source>
        <translation>{file} 第 {line} 行</translation>
    </message>
    <message>
        <source>Line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
</context>
<context>
    <name>Flow</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign in with your Microsoft account and choose the Azure AI Foundry project or Azure OpenAI resource to train in.</source>
        <translation>使用 Microsoft 帐户登录，然后选择用来训练的 Azure&#xa0;AI&#xa0;Foundry 项目或 Azure&#xa0;OpenAI 资源。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Write the questions and answers the model should learn, or import them.</source>
        <translation>编写模型要学习的问题和答案，或直接导入。</translation>
    </message>
    <message>
        <source>Model &amp; settings</source>
        <translation>模型与设置</translation>
    </message>
    <message>
        <source>Choose the base model and how thoroughly to train it, with a price estimate before anything is paid.</source>
        <translation>选择基础模型和训练强度，付费前可以先看费用估算。</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Start training and follow its progress. You can close TuneDesk meanwhile; it picks the job up again when you come back.</source>
        <translation>开始训练并查看进度。训练期间可以关闭 TuneDesk，再次打开时会继续跟进训练作业。</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>Put the trained model online with one click, see what hosting costs per hour, and remove it when you are done.</source>
        <translation>一键上线训练好的模型，查看每小时的托管费用，用完后随时删除。</translation>
    </message>
    <message>
        <source>Chat &amp; check</source>
        <translation>对话与检验</translation>
    </message>
    <message>
        <source>Talk to your model next to the base model, and quiz it with held-out questions to see what it learned.</source>
        <translation>让你的模型和基础模型并排对话，再用预留的问题考考它，看看它学到了什么。</translation>
    </message>
    <message>
        <source>Sign in first (step 1): training happens in your own Azure account.</source>
        <translation>请先登录（第 1 步）：训练在你自己的 Azure 帐户中进行。</translation>
    </message>
    <message>
        <source>Choose where to train first (step 1): a Foundry project or an Azure OpenAI resource.</source>
        <translation>请先选择在哪里训练（第 1 步）：Foundry 项目或 Azure&#xa0;OpenAI 资源。</translation>
    </message>
    <message>
        <source>Open or create a project with your questions first.</source>
        <translation>请先打开或新建一个包含你的问题的项目。</translation>
    </message>
    <message>
        <source>Train a model first (step 4): there is nothing to deploy yet.</source>
        <translation>请先训练模型（第 4 步）：目前还没有可以部署的模型。</translation>
    </message>
    <message>
        <source>Deploy a model first (step 5): chatting needs a model that is online.</source>
        <translation>请先部署模型（第 5 步）：对话需要一个已上线的模型。</translation>
    </message>
</context>
<context>
    <name>GridClipboard</name>
    <message>
        <source>Clear cells</source>
        <translation>清除单元格</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Pasted. Rows changed: {changed}; rows added: {added}.</source>
        <translation>已粘贴：修改了 {changed} 行，新增了 {added} 行。</translation>
    </message>
</context>
<context>
    <name>Import</name>
    <message>
        <source>This is not a file name: {name}</source>
        <translation>这不是文件名：{name}</translation>
    </message>
    <message>
        <source>TuneDesk cannot import {file}: it does not know files of this type.</source>
        <translation>TuneDesk 无法导入 {file}：不支持这种类型的文件。</translation>
    </message>
    <message>
        <source>Use a .jsonl, .csv, .tsv, .txt or .xlsx file. In Excel, choose File &gt; Save As &gt; Excel Workbook (.xlsx) or CSV UTF-8.</source>
        <translation>请使用 .jsonl、.csv、.tsv、.txt 或 .xlsx 文件。在 Excel 中，可选择“文件 &gt; 另存为 &gt; Excel 工作簿 (.xlsx)”或“CSV UTF-8”。</translation>
    </message>
    <message>
        <source>TuneDesk could not tell which columns of {file} hold the questions and which hold the answers.</source>
        <extracomment>Azure&apos;s limit for one training file. Bigger files are refused before anything is read. After this many broken lines only a summary is added, so a bad file cannot flood the list.</extracomment>
        <translation>TuneDesk 无法判断 {file} 中哪一列是问题、哪一列是答案。</translation>
    </message>
    <message>
        <source>Choose the question column and the answer column.</source>
        <translation>请选择问题列和答案列。</translation>
    </message>
    <message>
        <source>{count} more lines of {file} could not be imported either.</source>
        <translation>{file} 中还有 {count} 行也无法导入。</translation>
    </message>
    <message>
        <source>Nothing could be imported from {file}.</source>
        <translation>{file} 中没有可以导入的内容。</translation>
    </message>
    <message>
        <source>TuneDesk imports JSONL files with one example per line, and tables (.csv, .tsv, .txt, .xlsx) with a question column and an answer column.</source>
        <translation>TuneDesk 可以导入每行一个示例的 JSONL 文件，以及包含问题列和答案列的表格（.csv、.tsv、.txt、.xlsx）。</translation>
    </message>
    <message>
        <source>Line {line} of {file} is not a JSON object. Each line should hold one example, with a &quot;messages&quot; list or a question and an answer.</source>
        <translation>{file} 的第 {line} 行不是 JSON 对象。每行应包含一个示例：一个 &quot;messages&quot; 列表，或者一个问题和一个答案。</translation>
    </message>
    <message>
        <source>On line {line} of {file}, &quot;messages&quot; is not a list. Write it as [{{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: &quot;…&quot;}}, …] and import the file again.</source>
        <translation>{file} 的第 {line} 行中，&quot;messages&quot; 不是列表。请写成 [{{&quot;role&quot;: &quot;user&quot;, &quot;content&quot;: &quot;…&quot;}}, …]，然后重新导入文件。</translation>
    </message>
    <message>
        <source>On line {line} of {file}, message {number} is not an object with a role and a content. Fix it and import the file again.</source>
        <translation>{file} 的第 {line} 行中，第 {number} 条消息不是包含 role 和 content 的对象。请修正后重新导入文件。</translation>
    </message>
    <message>
        <source>Line {line} of {file} has no &quot;messages&quot; list and no question and answer (or prompt and completion), so it is not an example TuneDesk can use.</source>
        <translation>{file} 的第 {line} 行既没有 &quot;messages&quot; 列表，也没有问题和答案（或 prompt 和 completion），TuneDesk 无法把它用作示例。</translation>
    </message>
    <message>
        <source>Line {line} of {file} contains characters that are not UTF-8 text. Save the file as UTF-8 and import it again.</source>
        <translation>{file} 的第 {line} 行包含不是 UTF-8 编码的字符。请将文件另存为 UTF-8 编码，然后重新导入。</translation>
    </message>
    <message>
        <source>Line {line} of {file} contains binary data instead of text. Delete that line and import the file again.</source>
        <translation>{file} 的第 {line} 行包含二进制数据，而不是文本。请删除这一行，然后重新导入文件。</translation>
    </message>
    <message>
        <source>Line {line} of {file} is not valid JSON ({detail}). Fix or delete that line and import the file again.</source>
        <translation>{file} 的第 {line} 行不是有效的 JSON（{detail}）。请修正或删除这一行，然后重新导入文件。</translation>
    </message>
    <message>
        <source>Line {line} of {file} opens a quote (&quot;) that is never closed, so the rest of the file could not be read. Add the missing quote and import the file again.</source>
        <translation>{file} 的第 {line} 行有一个引号 (&quot;) 没有闭合，导致文件的其余部分无法读取。请补上缺少的引号，然后重新导入文件。</translation>
    </message>
    <message>
        <source>The quotes on line {line} of {file} do not match ({detail}). Put the whole cell in quotes and double any quote inside it (&quot;&quot;), then import the file again.</source>
        <translation>{file} 第 {line} 行的引号不匹配（{detail}）。请用引号括住整个单元格，并把其中的每个引号写成两个 (&quot;&quot;)，然后重新导入文件。</translation>
    </message>
    <message>
        <source>It looks like an old Excel 97-2003 (.xls) file. Open it in Excel and save it as Excel Workbook (.xlsx), then import it again.</source>
        <translation>这似乎是旧版 Excel 97-2003 (.xls) 文件。请在 Excel 中打开它，另存为 Excel 工作簿 (.xlsx)，然后重新导入。</translation>
    </message>
    <message>
        <source>Open it in Excel and save it again as Excel Workbook (.xlsx), or save it as CSV UTF-8 and import that.</source>
        <translation>请在 Excel 中打开它，重新另存为 Excel 工作簿 (.xlsx)；或者另存为 CSV UTF-8，再导入那个文件。</translation>
    </message>
    <message>
        <source>{file} is not a valid Excel workbook (.xlsx).</source>
        <translation>{file} 不是有效的 Excel 工作簿 (.xlsx)。</translation>
    </message>
    <message>
        <source>{file} has no data in any sheet.</source>
        <translation>{file} 的所有工作表中都没有数据。</translation>
    </message>
    <message>
        <source>Put the questions in one column and the answers in the next, then import it again.</source>
        <translation>请把问题放在一列、答案放在紧挨着的下一列，然后重新导入。</translation>
    </message>
    <message>
        <source>{file} contains no rows with text.</source>
        <translation>{file} 中没有包含文字的行。</translation>
    </message>
    <message>
        <source>The columns chosen for {file} do not exist in it: it has {count} columns.</source>
        <translation>为 {file} 选择的列不存在：这个文件只有 {count} 列。</translation>
    </message>
    <message>
        <source>Choose the question and answer columns again.</source>
        <translation>请重新选择问题列和答案列。</translation>
    </message>
    <message>
        <source>{file} has column headings but no rows below them.</source>
        <translation>{file} 只有列标题，下面没有数据行。</translation>
    </message>
    <message>
        <source>Add your questions and answers under the headings, then import it again.</source>
        <translation>请在标题下方添加问题和答案，然后重新导入。</translation>
    </message>
    <message>
        <source>Column {number}</source>
        <translation>第 {number} 列</translation>
    </message>
    <message>
        <source>Save it again as UTF-8 (in Excel: File &gt; Save As &gt; CSV UTF-8) and import it again.</source>
        <translation>请将它另存为 UTF-8 编码（在 Excel 中：文件 &gt; 另存为 &gt; CSV UTF-8），然后重新导入。</translation>
    </message>
    <message>
        <source>{file} is a folder, not a file.</source>
        <translation>{file} 是文件夹，不是文件。</translation>
    </message>
    <message>
        <source>Choose a file inside the folder.</source>
        <translation>请选择文件夹中的文件。</translation>
    </message>
    <message>
        <source>{file} could not be found.</source>
        <translation>找不到 {file}。</translation>
    </message>
    <message>
        <source>Check that the file still exists and was not moved or renamed.</source>
        <translation>请确认文件仍然存在，并且没有被移动或重命名。</translation>
    </message>
    <message>
        <source>TuneDesk is not allowed to read {file}.</source>
        <translation>TuneDesk 没有读取 {file} 的权限。</translation>
    </message>
    <message>
        <source>Close the file in other programs (such as Excel) or check its permissions, then try again.</source>
        <translation>请在其他程序（如 Excel）中关闭该文件，或检查文件权限，然后重试。</translation>
    </message>
    <message>
        <source>{file} could not be read ({reason}).</source>
        <translation>无法读取 {file}（{reason}）。</translation>
    </message>
    <message>
        <source>Check that the file is on a drive you can reach, then try again.</source>
        <translation>请确认文件所在的驱动器可以访问，然后重试。</translation>
    </message>
    <message>
        <source>{file} is empty.</source>
        <translation>{file} 是空文件。</translation>
    </message>
    <message>
        <source>Choose a file that contains your questions and answers.</source>
        <translation>请选择包含问题和答案的文件。</translation>
    </message>
    <message>
        <source>{file} is {size} MB, more than the {limit} MB that Azure accepts for one training file.</source>
        <translation>{file} 大小为 {size} MB，超过了 Azure 对单个训练文件 {limit} MB 的上限。</translation>
    </message>
    <message>
        <source>Split it into smaller files, or remove examples you do not need.</source>
        <translation>请把它拆分成几个较小的文件，或删除不需要的示例。</translation>
    </message>
    <message>
        <source>{file} does not look like a text file: it contains binary data.</source>
        <translation>{file} 似乎不是文本文件：其中包含二进制数据。</translation>
    </message>
    <message>
        <source>Choose a .jsonl, .csv, .tsv, .txt or .xlsx file. If this is an Excel workbook, make sure its name ends in .xlsx.</source>
        <translation>请选择 .jsonl、.csv、.tsv、.txt 或 .xlsx 文件。如果这是 Excel 工作簿，请确保文件名以 .xlsx 结尾。</translation>
    </message>
    <message>
        <source>{file} says it is {encoding} text, but part of it is not.</source>
        <translation>{file} 标明是 {encoding} 编码的文本，但其中有一部分不是。</translation>
    </message>
    <message>
        <source>TuneDesk cannot read the text in {file}: it is not in a text encoding TuneDesk knows (UTF-8, UTF-16 or GB18030). The first unreadable character is on line {line}.</source>
        <translation>TuneDesk 无法读取 {file} 中的文本：它使用的不是 TuneDesk 支持的编码（UTF-8、UTF-16 或 GB18030）。第一个无法读取的字符在第 {line} 行。</translation>
    </message>
</context>
<context>
    <name>InlineMessage</name>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>JobHistoryView</name>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Estimated cost</source>
        <translation>预估费用</translation>
    </message>
    <message>
        <source>{rows} rows · {version}</source>
        <translation>{rows} 行 · {version}</translation>
    </message>
    <message>
        <source>{epochs} epochs</source>
        <translation>{epochs} 轮</translation>
    </message>
    <message>
        <source>epochs: Azure</source>
        <translation>轮数：由 Azure 决定</translation>
    </message>
    <message>
        <source>batch {size}</source>
        <translation>批大小 {size}</translation>
    </message>
    <message>
        <source>LR × {value:g}</source>
        <translation>学习率 × {value:g}</translation>
    </message>
    <message>
        <source>Uploading</source>
        <translation>正在上传</translation>
    </message>
    <message>
        <source>Submitting</source>
        <translation>正在提交</translation>
    </message>
    <message>
        <source>Waiting to start</source>
        <translation>等待开始</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Cancelling</source>
        <translation>正在取消</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>已成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>{tokens} tokens trained</source>
        <translation>已训练 {tokens} 个 token</translation>
    </message>
    <message>
        <source>no published price</source>
        <translation>无公开价格</translation>
    </message>
    <message>
        <source>{low} – {high}</source>
        <translation>{low} – {high}</translation>
    </message>
</context>
<context>
    <name>Jobs</name>
    <message>
        <source>The project {name} has no copy of the files this training was given.</source>
        <translation>项目 {name} 中没有保存这次训练所用文件的副本。</translation>
    </message>
    <message>
        <source>It may have been made by an older TuneDesk. Train again to keep a copy.</source>
        <translation>它可能是由旧版 TuneDesk 创建的。请重新训练，以便保存一份副本。</translation>
    </message>
    <message>
        <source>The copy of the training file kept in {name} is not the file this training was given.</source>
        <translation>{name} 中保存的训练文件副本与这次训练所用的文件不一致。</translation>
    </message>
    <message>
        <source>Train again to keep a correct copy.</source>
        <translation>请重新训练，以便保存一份正确的副本。</translation>
    </message>
</context>
<context>
    <name>LearningCurve</name>
    <message>
        <source>Too early to tell: the reading starts after {count} steps.</source>
        <translation>现在下结论还太早：{count} 步之后才会给出解读。</translation>
    </message>
    <message>
        <source>Training loss is going up: the model is getting worse. Try a lower learning-rate multiplier.</source>
        <translation>训练损失在上升：模型越练越差。请尝试调低学习率倍数。</translation>
    </message>
    <message>
        <source>Validation loss is rising: the model may be memorising the training examples; try fewer epochs.</source>
        <translation>验证损失在上升：模型可能在死记硬背训练示例；请尝试减少训练轮数。</translation>
    </message>
    <message>
        <source>The loss is flat: the model is not learning. Try a higher learning-rate multiplier or more epochs.</source>
        <translation>损失没有变化：模型没有在学习。请尝试调高学习率倍数，或增加训练轮数。</translation>
    </message>
    <message>
        <source>The loss jumps a lot from step to step: watch the trend, not single steps. A larger batch size makes it steadier.</source>
        <translation>损失在每一步之间波动很大：请看整体趋势，不要只看单步。调大批大小可以让曲线更平稳。</translation>
    </message>
    <message>
        <source>Training loss is falling. No validation loss so far: add validation examples to see whether the model also answers questions it has not seen.</source>
        <translation>训练损失在下降。目前还没有验证损失：请添加验证示例，以便看出模型能否回答没见过的问题。</translation>
    </message>
    <message>
        <source>Training loss is falling. Waiting for more validation points to tell whether the model also answers questions it has not seen.</source>
        <translation>训练损失在下降。正在等待更多验证数据点，以判断模型能否回答没见过的问题。</translation>
    </message>
    <message>
        <source>Training loss is falling but validation loss is not: the model learns the training examples, not yet the task. More varied examples may help.</source>
        <translation>训练损失在下降，但验证损失没有下降：模型记住了训练示例，但还没有真正掌握这项任务。增加更多样化的示例可能会有帮助。</translation>
    </message>
    <message>
        <source>Training loss is falling and validation loss follows it: the model is learning.</source>
        <translation>训练损失在下降，验证损失也随之下降：模型正在学习。</translation>
    </message>
    <message>
        <source>Training finished with a training loss of {final} (it started at {first}). Add validation examples next time to see whether the model also answers questions it has not seen.</source>
        <translation>训练完成，训练损失为 {final}（开始时为 {first}）。下次请添加验证示例，以便看出模型能否回答没见过的问题。</translation>
    </message>
    <message>
        <source>Training finished. Validation loss ended at {final}, above its lowest ({best} at step {step}): the model may have memorised the training examples; next time try fewer epochs.</source>
        <translation>训练完成。验证损失最终为 {final}，高于其最低值（第 {step} 步时的 {best}）：模型可能死记硬背了训练示例；下次请尝试减少训练轮数。</translation>
    </message>
    <message>
        <source>Training finished, but the loss hardly fell (validation loss {final}): next time try a higher learning-rate multiplier or more epochs.</source>
        <translation>训练完成，但损失几乎没有下降（验证损失 {final}）：下次请尝试调高学习率倍数，或增加训练轮数。</translation>
    </message>
    <message>
        <source>Training finished. Final validation loss: {final} (it started at {first}).</source>
        <translation>训练完成。最终验证损失：{final}（开始时为 {first}）。</translation>
    </message>
    <message>
        <source>Training finished. Final validation loss: {final}; its lowest was {best} at step {step}.</source>
        <translation>训练完成。最终验证损失：{final}；最低值为第 {step} 步时的 {best}。</translation>
    </message>
</context>
<context>
    <name>LossChart</name>
    <message>
        <source>Training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Show accuracy</source>
        <translation>显示准确率</translation>
    </message>
    <message>
        <source>Accuracy: the share of the answers&apos; words the model predicted exactly.</source>
        <translation>准确率：答案中被模型准确预测出的字词所占的比例。</translation>
    </message>
    <message>
        <source>Step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>Training loss: {value}</source>
        <translation>训练损失：{value}</translation>
    </message>
    <message>
        <source>Validation loss: {value}</source>
        <translation>验证损失：{value}</translation>
    </message>
    <message>
        <source>Training accuracy: {value} %</source>
        <translation>训练准确率：{value}%</translation>
    </message>
    <message>
        <source>Validation accuracy: {value} %</source>
        <translation>验证准确率：{value}%</translation>
    </message>
    <message>
        <source>The chart fills in as Azure reports each step.</source>
        <translation>Azure 每报告一步，图表就会随之更新。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>(soon)</source>
        <translation>（即将推出）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import data…</source>
        <translation>导入数据(&amp;I)…</translation>
    </message>
    <message>
        <source>&amp;Export training files…</source>
        <translation>导出训练文件(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>Offline: Azure cannot be reached (the Data page works offline)</source>
        <translation>离线：无法连接到 Azure（“数据”页可离线使用）</translation>
    </message>
    <message>
        <source>Signed in with an Azure OpenAI key</source>
        <translation>已使用 Azure&#xa0;OpenAI 密钥登录</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>training in {place}</source>
        <translation>训练位置：{place}</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Add &amp;row</source>
        <translation>添加行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Insert row above</source>
        <translation>在上方插入行(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Delete rows</source>
        <translation>删除行(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Find and replace…</source>
        <translation>查找和替换(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About TuneDesk</source>
        <translation>关于 TuneDesk(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近打开的项目</translation>
    </message>
    <message>
        <source>{name} (not saved to a folder yet)</source>
        <translation>{name}（尚未保存到文件夹）</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>正在打开 {name}…</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>TuneDesk projects (*{suffix})</source>
        <translation>TuneDesk 项目 (*{suffix})</translation>
    </message>
    <message>
        <source>Creating a project…</source>
        <translation>正在创建项目…</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <source>Import questions and answers</source>
        <translation>导入问题和答案</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.csv *.tsv *.txt *.xlsx);;All files (*)</source>
        <translation>数据文件 (*.jsonl *.csv *.tsv *.txt *.xlsx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>{name} (not saved to a folder yet) — {app}</source>
        <translation>{name}（尚未保存到文件夹）— {app}</translation>
    </message>
    <message>
        <source>{name} — {app}</source>
        <translation>{name} — {app}</translation>
    </message>
    <message>
        <source>{examples} examples · {errors} errors · {warnings} warnings</source>
        <translation>{examples} 个示例 · {errors} 个错误 · {warnings} 个警告</translation>
    </message>
    <message>
        <source>&lt;p&gt;Licence: proprietary.&lt;/p&gt;</source>
        <translation>&lt;p&gt;许可：专有软件。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;TuneDesk uses &lt;a href=&quot;{qt_url}&quot;&gt;Qt for Python&lt;/a&gt; (PySide6 {pyside}, Qt {qt}) under the &lt;a href=&quot;{lgpl_url}&quot;&gt;GNU Lesser General Public License version 3&lt;/a&gt;, on Python {python}.&lt;/p&gt;</source>
        <translation>&lt;p&gt;TuneDesk 依据 &lt;a href=&quot;{lgpl_url}&quot;&gt;GNU 宽通用公共许可证第 3 版&lt;/a&gt;使用 &lt;a href=&quot;{qt_url}&quot;&gt;Qt for Python&lt;/a&gt;（PySide6 {pyside}，Qt {qt}），运行于 Python {python}。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Log files and crash reports: &lt;a href=&quot;{url}&quot;&gt;open the log folder&lt;/a&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;日志文件和崩溃报告：&lt;a href=&quot;{url}&quot;&gt;打开日志文件夹&lt;/a&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About TuneDesk</source>
        <translation>关于 TuneDesk</translation>
    </message>
    <message>
        <source>Still billed on Azure</source>
        <translation>Azure 仍在计费</translation>
    </message>
    <message>
        <source>Azure keeps billing these deployments after TuneDesk closes:</source>
        <translation>TuneDesk 关闭后，Azure 仍会继续对以下部署计费：</translation>
    </message>
    <message>
        <source>Quit anyway</source>
        <translation>仍然退出</translation>
    </message>
    <message>
        <source>Show deployments</source>
        <translation>查看部署</translation>
    </message>
    <message>
        <source>&lt;h3&gt;TuneDesk {version}&lt;/h3&gt;&lt;p&gt;Teach a small language model what you know on Azure AI Foundry, then talk to it.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;TuneDesk {version}&lt;/h3&gt;&lt;p&gt;在 Azure&#xa0;AI&#xa0;Foundry 上把你的知识教给小型语言模型，然后和它对话。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Opening the sample project…</source>
        <translation>正在打开示例项目…</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <source>Recommended for a small Q&amp;A set</source>
        <translation>推荐用于小型问答集</translation>
    </message>
    <message>
        <source>Trains in a hub project (classic)</source>
        <translation>在中心项目中训练（经典）</translation>
    </message>
    <message>
        <source>Trains in a Foundry resource</source>
        <translation>在 Foundry 资源中训练</translation>
    </message>
    <message>
        <source>up to {tokens} tokens per example</source>
        <translation>每个示例最多 {tokens} 个 token</translation>
    </message>
    <message>
        <source>training {price} per million tokens</source>
        <translation>训练：每百万 token {price}</translation>
    </message>
    <message>
        <source>training price: see Azure&apos;s price list</source>
        <translation>训练价格：请参阅 Azure 价目表</translation>
    </message>
    <message>
        <source>hosting {price} per hour</source>
        <translation>托管：每小时 {price}</translation>
    </message>
</context>
<context>
    <name>ModelList</name>
    <message>
        <source>Hide the models this place cannot train</source>
        <translation>隐藏此训练位置无法训练的模型</translation>
    </message>
    <message>
        <source>Show the {count} models this place cannot train, and why</source>
        <translation>显示此训练位置无法训练的 {count} 个模型及原因</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>Model &amp; settings</source>
        <translation>模型与设置</translation>
    </message>
    <message>
        <source>Choose the model to teach and how thoroughly. Nothing is sent or paid until you confirm at the bottom of this page.</source>
        <translation>选择要训练的模型和训练强度。在本页底部确认之前，不会发送任何内容，也不会产生任何费用。</translation>
    </message>
    <message>
        <source>1. Base model</source>
        <translation>1. 基础模型</translation>
    </message>
    <message>
        <source>2. How thoroughly to train</source>
        <translation>2. 训练强度</translation>
    </message>
    <message>
        <source>3. Before you pay</source>
        <translation>3. 付费前确认</translation>
    </message>
    <message>
        <source>Asking Azure which models {place} can train…</source>
        <translation>正在向 Azure 查询 {place} 可以训练哪些模型…</translation>
    </message>
    <message>
        <source>Loading the models…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Azure does not offer it in {place} right now.</source>
        <translation>Azure 目前在 {place} 中不提供此模型。</translation>
    </message>
    <message>
        <source>Choose such a place on the Sign in page to use it.</source>
        <translation>如需使用此模型，请在“登录”页上选择这样的训练位置。</translation>
    </message>
    <message>
        <source>The models Azure offers in this place, asked just now.</source>
        <translation>这是刚刚向 Azure 查询到的、此训练位置提供的模型。</translation>
    </message>
    <message>
        <source>From the list that came with TuneDesk (checked on {date}).</source>
        <translation>来自 TuneDesk 自带的列表（核对于 {date}）。</translation>
    </message>
    <message>
        <source>Checking the data…</source>
        <translation>正在检查数据…</translation>
    </message>
    <message>
        <source>Training was handed to the Train page.</source>
        <translation>训练已转交给“训练”页。</translation>
    </message>
</context>
<context>
    <name>NoProjectState</name>
    <message>
        <source>Open or create a project to start adding questions and answers.</source>
        <translation>打开或新建一个项目，就可以开始添加问题和答案了。</translation>
    </message>
</context>
<context>
    <name>Ops</name>
    <message>
        <source>TuneDesk</source>
        <translation>TuneDesk</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>Place</name>
    <message>
        <source>{place} ({region})</source>
        <translation>{place}（{region}）</translation>
    </message>
</context>
<context>
    <name>PlaceChooser</name>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Base model to train</source>
        <translation>要训练的基础模型</translation>
    </message>
    <message>
        <source>Directory (tenant)</source>
        <translation>目录（租户）</translation>
    </message>
    <message>
        <source>Subscription</source>
        <translation>订阅</translation>
    </message>
    <message>
        <source>Search by name or region</source>
        <translation>按名称或区域搜索</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Can train the model?</source>
        <translation>能否训练此模型</translation>
    </message>
    <message>
        <source>Train here</source>
        <translation>在此训练</translation>
    </message>
    <message>
        <source>Create one for me…</source>
        <translation>帮我创建…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Foundry hub project</source>
        <translation>Foundry 中心项目</translation>
    </message>
    <message>
        <source>Foundry resource (AI Services)</source>
        <translation>Foundry 资源（AI 服务）</translation>
    </message>
    <message>
        <source>Azure OpenAI resource</source>
        <translation>Azure&#xa0;OpenAI 资源</translation>
    </message>
    <message>
        <source>Azure OpenAI (key)</source>
        <translation>Azure&#xa0;OpenAI（密钥）</translation>
    </message>
    <message>
        <source>Using an Azure OpenAI key for {endpoint}</source>
        <translation>正在使用 {endpoint} 的 Azure&#xa0;OpenAI 密钥</translation>
    </message>
    <message>
        <source>Ready: training will happen in {place}.</source>
        <translation>已就绪：将在 {place} 中训练。</translation>
    </message>
    <message>
        <source>You can change this at any time on this page.</source>
        <translation>你可以随时在此页面上更改。</translation>
    </message>
    <message>
        <source>Looking up your directories…</source>
        <translation>正在查找你的目录…</translation>
    </message>
    <message>
        <source>Looking up your subscriptions…</source>
        <translation>正在查找你的订阅…</translation>
    </message>
    <message>
        <source>This account has no Azure subscription in this directory.</source>
        <translation>此帐户在该目录中没有 Azure 订阅。</translation>
    </message>
    <message>
        <source>Ask your Azure administrator to give you access to a subscription, then press Refresh.</source>
        <translation>请让 Azure 管理员为你授予某个订阅的访问权限，然后点击“刷新”。</translation>
    </message>
    <message>
        <source>Looking for Foundry projects and Azure OpenAI resources…</source>
        <translation>正在查找 Foundry 项目和 Azure&#xa0;OpenAI 资源…</translation>
    </message>
    <message>
        <source>✓ Yes</source>
        <translation>✓ 可以</translation>
    </message>
    <message>
        <source>✓ Yes, with global training</source>
        <translation>✓ 可以（全局训练）</translation>
    </message>
    <message>
        <source>✗ No</source>
        <translation>✗ 不可以</translation>
    </message>
    <message>
        <source>There is no Foundry project or Azure OpenAI resource here yet.</source>
        <translation>此订阅中还没有 Foundry 项目或 Azure&#xa0;OpenAI 资源。</translation>
    </message>
    <message>
        <source>Press “Create one for me…” and TuneDesk sets one up in a region that can train {model}, or choose another subscription.</source>
        <translation>点击“帮我创建…”，TuneDesk 会在可以训练 {model} 的区域中创建一个；也可以选择其他订阅。</translation>
    </message>
    <message>
        <source>None of these can train {model}.</source>
        <translation>以上项目和资源都无法训练 {model}。</translation>
    </message>
    <message>
        <source>Press “Create one for me…” to set one up in a region that can, choose another subscription, or choose another base model.</source>
        <translation>点击“帮我创建…”，在可以训练的区域中创建一个；也可以选择其他订阅或其他基础模型。</translation>
    </message>
    <message>
        <source>{model} can be fine-tuned in {region}.</source>
        <translation>{model} 可以在 {region} 微调。</translation>
    </message>
    <message>
        <source>Azure checks the region of this resource when training starts.</source>
        <translation>开始训练时，Azure 会检查此资源所在的区域。</translation>
    </message>
</context>
<context>
    <name>PreflightPanel</name>
    <message>
        <source>Checking your data for this model…</source>
        <translation>正在针对此模型检查你的数据…</translation>
    </message>
    <message>
        <source>What it will cost</source>
        <translation>费用估算</translation>
    </message>
    <message>
        <source>Azure bills this training to your subscription, and hosting the trained model later by the hour, until you delete its deployment.</source>
        <translation>Azure 会向你的订阅收取这次训练的费用；之后托管训练好的模型也会按小时计费，直到你删除它的部署。</translation>
    </message>
    <message>
        <source>I understand; start when I press Start training</source>
        <translation>我已了解；点击“开始训练”后即开始训练</translation>
    </message>
    <message>
        <source>Include the drafts nobody has reviewed</source>
        <translation>包括尚未审核的草稿</translation>
    </message>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Must be fixed</source>
        <translation>必须修正</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Fix what is marked red first: {count} left.</source>
        <translation>请先修正标红的项目：还剩 {count} 项。</translation>
    </message>
    <message>
        <source>Tick the box above to confirm.</source>
        <translation>请勾选上方的复选框以确认。</translation>
    </message>
</context>
<context>
    <name>Project</name>
    <message>
        <source>{name} was saved by a newer version of TuneDesk.</source>
        <translation>{name} 是由更新版本的 TuneDesk 保存的。</translation>
    </message>
    <message>
        <source>Update TuneDesk to open it. The file has not been changed.</source>
        <translation>请更新 TuneDesk 后再打开它。文件没有被改动。</translation>
    </message>
    <message>
        <source>The disk is full. Free some space; TuneDesk saves your work again as soon as it can. You can also use Save As to keep it somewhere else.</source>
        <translation>磁盘已满。请释放一些空间，TuneDesk 会尽快重新保存你的工作。你也可以用“另存为”把它保存到其他位置。</translation>
    </message>
    <message>
        <source>The file was moved or deleted while it was open. TuneDesk will save your work again under the same name; use Save As to keep it somewhere else.</source>
        <translation>文件在打开期间被移动或删除了。TuneDesk 会以相同的名称重新保存你的工作；如需保存到其他位置，请使用“另存为”。</translation>
    </message>
    <message>
        <source>Check that the disk is connected and has free space, then try again, or use Save As to keep your work somewhere else.</source>
        <translation>请确认磁盘已连接且有可用空间，然后重试；也可以用“另存为”把工作保存到其他位置。</translation>
    </message>
    <message>
        <source>Your latest changes could not be saved to {name}.</source>
        <translation>最近的更改无法保存到 {name}。</translation>
    </message>
    <message>
        <source>{name} is not a TuneDesk project.</source>
        <translation>{name} 不是 TuneDesk 项目。</translation>
    </message>
    <message>
        <source>Open a file that ends in .tunedesk, or import questions and answers from a CSV, Excel or JSONL file instead.</source>
        <translation>请打开以 .tunedesk 结尾的文件，或者从 CSV、Excel 或 JSONL 文件导入问题和答案。</translation>
    </message>
    <message>
        <source>The project {name} is damaged and cannot be opened.</source>
        <translation>项目 {name} 已损坏，无法打开。</translation>
    </message>
    <message>
        <source>If you have another copy of it (for example in an email or a backup), open that copy instead.</source>
        <translation>如果你还有它的其他副本（例如在邮件或备份中），请改为打开那个副本。</translation>
    </message>
    <message>
        <source>TuneDesk could not find the project {name}.</source>
        <translation>TuneDesk 找不到项目 {name}。</translation>
    </message>
    <message>
        <source>It may have been moved, renamed or deleted.</source>
        <translation>它可能已被移动、重命名或删除。</translation>
    </message>
    <message>
        <source>The project {name} is already open in another TuneDesk window.</source>
        <translation>项目 {name} 已在另一个 TuneDesk 窗口中打开。</translation>
    </message>
    <message>
        <source>Switch to that window, or close it and try again.</source>
        <translation>请切换到那个窗口，或者关闭它后重试。</translation>
    </message>
    <message>
        <source>TuneDesk could not open the project {name}.</source>
        <translation>TuneDesk 无法打开项目 {name}。</translation>
    </message>
    <message>
        <source>Check that the file is not read-only and that you are allowed to change it, then try again. ({reason})</source>
        <translation>请确认文件不是只读的，并且你有修改权限，然后重试。（{reason}）</translation>
    </message>
    <message>
        <source>The copy of a training file kept in the project {name} is damaged.</source>
        <translation>项目 {name} 中保存的训练文件副本已损坏。</translation>
    </message>
    <message>
        <source>The rest of the project is fine. Training again stores a new copy.</source>
        <translation>项目的其他部分没有问题。重新训练会保存一份新的副本。</translation>
    </message>
    <message>
        <source>TuneDesk could not create the project {name}.</source>
        <translation>TuneDesk 无法创建项目 {name}。</translation>
    </message>
    <message>
        <source>Choose a folder you are allowed to write to, with free space. ({reason})</source>
        <translation>请选择一个有写入权限且有可用空间的文件夹。（{reason}）</translation>
    </message>
    <message>
        <source>Untitled {date}</source>
        <translation>未命名 {date}</translation>
    </message>
    <message>
        <source>TuneDesk could not save the project as {name}.</source>
        <translation>TuneDesk 无法将项目另存为 {name}。</translation>
    </message>
    <message>
        <source>Choose a folder you are allowed to write to, with free space. Your work is still in {old}. ({reason})</source>
        <translation>请选择一个有写入权限且有可用空间的文件夹。你的工作仍保存在 {old} 中。（{reason}）</translation>
    </message>
</context>
<context>
    <name>QuickFixes</name>
    <message>
        <source>Quick fix: {what}</source>
        <translation>快速修复：{what}</translation>
    </message>
</context>
<context>
    <name>Quiz</name>
    <message>
        <source>Exact match</source>
        <translation>完全一致</translation>
    </message>
    <message>
        <source>{percent} % similar to the expected answer, but without {numbers}</source>
        <translation>与预期答案 {percent}% 相似，但缺少 {numbers}</translation>
    </message>
    <message>
        <source>{percent} % similar to the expected answer</source>
        <translation>与预期答案 {percent}% 相似</translation>
    </message>
    <message>
        <source>Judge: right — {reason}</source>
        <translation>评判模型：正确——{reason}</translation>
    </message>
    <message>
        <source>Judge: wrong — {reason}</source>
        <translation>评判模型：错误——{reason}</translation>
    </message>
    <message>
        <source>Judge: right</source>
        <translation>评判模型：正确</translation>
    </message>
    <message>
        <source>Judge: wrong</source>
        <translation>评判模型：错误</translation>
    </message>
    <message>
        <source>{score}; {judge}</source>
        <translation>{score}；{judge}</translation>
    </message>
    <message>
        <source>{right} of {total} training question right</source>
        <translation>训练问题答对 {right} 个（共 {total} 个）</translation>
    </message>
    <message>
        <source>{right} of {total} training questions right</source>
        <translation>训练问题答对 {right} 个（共 {total} 个）</translation>
    </message>
    <message>
        <source>{right} of {total} validation question right</source>
        <translation>验证问题答对 {right} 个（共 {total} 个）</translation>
    </message>
    <message>
        <source>{right} of {total} validation questions right</source>
        <translation>验证问题答对 {right} 个（共 {total} 个）</translation>
    </message>
    <message>
        <source>No questions asked yet</source>
        <translation>还没有提问</translation>
    </message>
    <message>
        <source>{validation}; {training}</source>
        <translation>{validation}；{training}</translation>
    </message>
    <message>
        <source>{summary} ({count} not answered)</source>
        <translation>{summary}（{count} 个未回答）</translation>
    </message>
    <message>
        <source>Missed in the quiz of {when} ({model}). The model answered: {answer}</source>
        <translation>在 {when} 的测验中答错（{model}）。模型的回答：{answer}</translation>
    </message>
</context>
<context>
    <name>QuizPanel</name>
    <message>
        <source>Judge:</source>
        <translation>评判模型：</translation>
    </message>
    <message>
        <source>Another online deployment that reads each answer and says whether it agrees with the expected one (costs its tokens).</source>
        <translation>另一个在线部署，它会阅读每个回答，判断是否与预期答案一致（会产生它所用 token 的费用）。</translation>
    </message>
    <message>
        <source>Include training questions</source>
        <translation>包括训练问题</translation>
    </message>
    <message>
        <source>Also ask the questions it trained on: shows whether it learned them, not whether it can answer new ones.</source>
        <translation>同时提问它训练过的问题：这只能看出它是否学会了这些问题，而不能看出它能否回答新问题。</translation>
    </message>
    <message>
        <source>Start quiz</source>
        <translation>开始测验</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Ask the unanswered again</source>
        <translation>重新提问未回答的问题</translation>
    </message>
    <message>
        <source>Showing:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Compare with an earlier run:</source>
        <translation>与之前的测验对比：</translation>
    </message>
    <message>
        <source>Only misses</source>
        <translation>只看答错的问题</translation>
    </message>
    <message>
        <source>Send back to the table</source>
        <translation>送回表格</translation>
    </message>
    <message>
        <source>Paraphrase them…</source>
        <translation>改写这些问题…</translation>
    </message>
    <message>
        <source>Ask the missed questions in other ways too, on the Data page: a model recalls a fact far better when it has seen it asked several ways</source>
        <translation>在“数据”页上为答错的问题再写几种问法：模型见过同一事实的多种问法，会记得牢得多</translation>
    </message>
    <message>
        <source>Add the missed questions with their expected answers to the table, as training examples flagged for review (one step: Undo takes them out).</source>
        <translation>把答错的问题及其预期答案添加到表格中，作为标记为待复查的训练示例（只算一步操作：撤销即可全部移除）。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{right} of {total} right · {when} · {deployment}</source>
        <translation>答对 {right}/{total} · {when} · {deployment}</translation>
    </message>
    <message>
        <source>no saved runs yet</source>
        <translation>还没有保存的测验</translation>
    </message>
    <message>
        <source>choose a saved run</source>
        <translation>选择已保存的测验</translation>
    </message>
    <message>
        <source>{done} of {total} asked</source>
        <translation>已提问 {done}/{total}</translation>
    </message>
    <message>
        <source>Deploy a trained model first: the quiz asks a deployment.</source>
        <translation>请先部署训练好的模型：测验需要向部署提问。</translation>
    </message>
    <message>
        <source>No quiz of {name} yet. Start quiz asks it every validation question (the questions it did not train on) and scores its answers.</source>
        <translation>还没有测验过 {name}。点击“开始测验”，会向它提出每个验证问题（它没有训练过的问题），并为它的回答打分。</translation>
    </message>
    <message>
        <source>Earlier run ({run}): {summary}</source>
        <translation>之前的测验（{run}）：{summary}</translation>
    </message>
    <message>
        <source>On the {both} questions both runs answered: {better} right now that were wrong before, {worse} wrong now that were right before.</source>
        <translation>在两次测验都回答了的 {both} 个问题中：{better} 个以前答错、现在答对，{worse} 个以前答对、现在答错。</translation>
    </message>
    <message>
        <source>No misses in this run.</source>
        <translation>本次测验没有答错的问题。</translation>
    </message>
    <message>
        <source>Validation questions: the ones the training job held out (read from the files it was given).</source>
        <translation>验证问题：训练作业留出的问题（读取自该作业所用的文件）。</translation>
    </message>
    <message>
        <source>The training job&apos;s files are not in this project: validation questions are the project&apos;s 10 % split as it is now.</source>
        <translation>此项目中没有该训练作业所用的文件：验证问题取自项目当前划分出的 10% 验证示例。</translation>
    </message>
    <message>
        <source>There are no validation questions to ask: mark some rows as Validation on the Data page, or include the training questions.</source>
        <translation>没有可以提问的验证问题：请在“数据”页上把一些行设为“验证”，或者包括训练问题。</translation>
    </message>
    <message>
        <source>{name}, which this run asked, is not online any more.</source>
        <translation>本次测验提问的 {name} 已不在线。</translation>
    </message>
    <message>
        <source>Quizzing…</source>
        <translation>正在测验…</translation>
    </message>
    <message>
        <source>Stopped before it was answered</source>
        <translation>回答前已停止</translation>
    </message>
    <message>
        <source>1 question could not be answered (the reason is in its row). Ask the unanswered again when Azure is less busy.</source>
        <translation>有 1 个问题没能得到回答（原因见该行）。请等 Azure 不那么繁忙时，重新提问未回答的问题。</translation>
    </message>
    <message>
        <source>{count} questions could not be answered (the reason is in each row). Ask the unanswered again when Azure is less busy.</source>
        <translation>有 {count} 个问题没能得到回答（原因见各行）。请等 Azure 不那么繁忙时，重新提问未回答的问题。</translation>
    </message>
    <message>
        <source>The misses of this run are in the table already, flagged for review.</source>
        <translation>本次测验答错的问题已经在表格中，并已标记为待复查。</translation>
    </message>
    <message>
        <source>Add 1 missed quiz question</source>
        <translation>添加 1 个测验中答错的问题</translation>
    </message>
    <message>
        <source>Add {count} missed quiz questions</source>
        <translation>添加 {count} 个测验中答错的问题</translation>
    </message>
    <message>
        <source>Added 1 missed question to the end of the table as a training example, flagged for review (⚑ in its note) on the Data page. Edit &gt; Undo takes it out again.</source>
        <translation>已将 1 个答错的问题作为训练示例添加到“数据”页表格的末尾，并标记为待复查（备注中有 ⚑）。选择“编辑 &gt; 撤销”可以再将它移除。</translation>
    </message>
    <message>
        <source>Added {count} missed questions to the end of the table as training examples, flagged for review (⚑ in their note) on the Data page. Edit &gt; Undo takes them out again.</source>
        <translation>已将 {count} 个答错的问题作为训练示例添加到“数据”页表格的末尾，并标记为待复查（备注中有 ⚑）。选择“编辑 &gt; 撤销”可以再将它们移除。</translation>
    </message>
</context>
<context>
    <name>QuizTableModel</name>
    <message>
        <source>Not asked in this run</source>
        <translation>本次测验未提问</translation>
    </message>
    <message>
        <source>Not answered: {reason}</source>
        <translation>未回答：{reason}</translation>
    </message>
    <message>
        <source>Not asked yet</source>
        <translation>尚未提问</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Expected answer</source>
        <translation>预期答案</translation>
    </message>
    <message>
        <source>Model answer</source>
        <translation>模型的回答</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Earlier run&apos;s answer</source>
        <translation>之前测验的回答</translation>
    </message>
    <message>
        <source>Earlier run&apos;s score</source>
        <translation>之前测验的得分</translation>
    </message>
    <message>
        <source>This run&apos;s answer</source>
        <translation>本次测验的回答</translation>
    </message>
    <message>
        <source>This run&apos;s score</source>
        <translation>本次测验的得分</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
</context>
<context>
    <name>Samples</name>
    <message>
        <source>Family sample</source>
        <translation>家庭示例</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Version of the layout of this settings file.</source>
        <translation>此设置文件的格式版本。</translation>
    </message>
    <message>
        <source>Language of the app: empty to follow the system, &quot;en&quot; for English or &quot;zh_CN&quot; for Simplified Chinese.</source>
        <translation>应用的语言：留空表示跟随系统，&quot;en&quot; 为英语，&quot;zh_CN&quot; 为简体中文。</translation>
    </message>
    <message>
        <source>Projects opened recently, the most recent first.</source>
        <translation>最近打开的项目，最新的排在最前面。</translation>
    </message>
    <message>
        <source>Folder last used to open or save a project.</source>
        <translation>上次打开或保存项目时使用的文件夹。</translation>
    </message>
    <message>
        <source>Folder last used to import questions and answers.</source>
        <translation>上次导入问题和答案时使用的文件夹。</translation>
    </message>
    <message>
        <source>Folder last used to export training files.</source>
        <translation>上次导出训练文件时使用的文件夹。</translation>
    </message>
    <message>
        <source>Share of the examples kept aside to check the trained model (0 to 0.5) when a project does not choose its own.</source>
        <translation>项目未单独设置时，留出来检验训练后模型的示例比例（0 到 0.5）。</translation>
    </message>
    <message>
        <source>Base model suggested for new projects.</source>
        <translation>为新项目推荐的基础模型。</translation>
    </message>
    <message>
        <source>Microsoft Entra tenant chosen last on the Sign in page (an id).</source>
        <translation>上次在“登录”页上选择的 Microsoft&#xa0;Entra 租户（ID）。</translation>
    </message>
    <message>
        <source>Azure subscription chosen last (an id).</source>
        <translation>上次选择的 Azure 订阅（ID）。</translation>
    </message>
    <message>
        <source>Where training happens: the Azure id of the Foundry project or Azure OpenAI resource chosen last.</source>
        <translation>在哪里训练：上次选择的 Foundry 项目或 Azure&#xa0;OpenAI 资源的 Azure ID。</translation>
    </message>
    <message>
        <source>At start, offer to restore projects that were never saved.</source>
        <translation>启动时，提示恢复从未保存过的项目。</translation>
    </message>
    <message>
        <source>Show the welcome page when TuneDesk starts.</source>
        <translation>TuneDesk 启动时显示欢迎页面。</translation>
    </message>
    <message>
        <source>Ask before starting anything on Azure that costs money.</source>
        <translation>在 Azure 上执行任何收费操作前先询问。</translation>
    </message>
    <message>
        <source>Your settings could not be saved to {path}.</source>
        <translation>无法将设置保存到 {path}。</translation>
    </message>
    <message>
        <source>Check that you are allowed to write to that folder and that the disk has free space. TuneDesk keeps working with the settings it has.</source>
        <translation>请确认你有该文件夹的写入权限，并且磁盘有可用空间。TuneDesk 会继续使用当前的设置。</translation>
    </message>
</context>
<context>
    <name>SettingsPanel</name>
    <message>
        <source>Your own values (Advanced) are used instead of a preset.</source>
        <translation>正在使用你自己设置的值（高级设置），而不是预设方案。</translation>
    </message>
    <message>
        <source>Advanced settings</source>
        <translation>高级设置</translation>
    </message>
    <message>
        <source>Training type:</source>
        <translation>训练类型：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Learning-rate multiplier:</source>
        <translation>学习率倍数：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>训练轮数：</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <source>Name suffix:</source>
        <translation>名称后缀：</translation>
    </message>
    <message>
        <source>Let Azure choose</source>
        <translation>由 Azure 决定</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>e.g. family-faq</source>
        <translation>例如 qa-v1</translation>
    </message>
    <message>
        <source>Enter a whole number, or leave it empty for a random seed.</source>
        <translation>请输入整数；留空则使用随机种子。</translation>
    </message>
    <message>
        <source>{low}–{high}</source>
        <translation>{low}–{high}</translation>
    </message>
    <message>
        <source>{range}, recommended {low}–{high}</source>
        <translation>{range}，建议 {low}–{high}</translation>
    </message>
    <message>
        <source>up to {count} characters</source>
        <translation>最多 {count} 个字符</translation>
    </message>
</context>
<context>
    <name>SignInChoices</name>
    <message>
        <source>Sign in with Microsoft</source>
        <translation>使用 Microsoft 帐户登录</translation>
    </message>
    <message>
        <source>Your web browser opens Microsoft&apos;s sign-in page. Use the work account that has access to your company&apos;s Azure.</source>
        <translation>将在浏览器中打开 Microsoft 登录页面。请使用有权访问公司 Azure 的工作帐户。</translation>
    </message>
    <message>
        <source>Use a code on another device</source>
        <translation>在其他设备上使用代码登录</translation>
    </message>
    <message>
        <source>For when this computer cannot open a browser: TuneDesk shows a short code to enter on your phone or another computer.</source>
        <translation>适用于这台电脑无法打开浏览器的情况：TuneDesk 会显示一个简短的代码，供你在手机或其他电脑上输入。</translation>
    </message>
    <message>
        <source>Advanced: service principal or API key</source>
        <translation>高级：服务主体或 API 密钥</translation>
    </message>
    <message>
        <source>Service principal (an app registration)</source>
        <translation>服务主体（应用注册）</translation>
    </message>
    <message>
        <source>Tenant ID</source>
        <translation>租户 ID</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>客户端 ID</translation>
    </message>
    <message>
        <source>Client secret</source>
        <translation>客户端密码</translation>
    </message>
    <message>
        <source>Sign in as this app</source>
        <translation>以此应用的身份登录</translation>
    </message>
    <message>
        <source>Azure OpenAI endpoint and key</source>
        <translation>Azure&#xa0;OpenAI 终结点和密钥</translation>
    </message>
    <message>
        <source>Only for training Azure OpenAI models in one resource. The key is kept in this computer&apos;s secure password store.</source>
        <translation>仅适用于在单个资源中训练 Azure&#xa0;OpenAI 模型。密钥会保存在这台电脑的安全密码存储中。</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>终结点</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <source>Use this key</source>
        <translation>使用此密钥</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>TuneDesk trains your model in your own Azure account. Sign in with the Microsoft account you use at work, then choose where training happens.</source>
        <translation>TuneDesk 会在你自己的 Azure 帐户中训练模型。请使用你工作中用的 Microsoft 帐户登录，然后选择在哪里训练。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Please sign in again.</source>
        <translation>请重新登录。</translation>
    </message>
    <message>
        <source>Please sign in again as {user}.</source>
        <translation>请以 {user} 的身份重新登录。</translation>
    </message>
    <message>
        <source>TuneDesk could not keep your sign-in from last time on this computer.</source>
        <translation>TuneDesk 未能在这台电脑上保留你上次的登录状态。</translation>
    </message>
    <message>
        <source>Azure cannot be reached, so you are not signed in yet.</source>
        <translation>无法连接到 Azure，因此你尚未登录。</translation>
    </message>
    <message>
        <source>Your questions and answers on the Data page work offline.</source>
        <translation>“数据”页上的问题和答案可以离线使用。</translation>
    </message>
    <message>
        <source>Checking with Azure…</source>
        <translation>正在向 Azure 验证…</translation>
    </message>
    <message>
        <source>Sign-in cancelled. Choose a way to sign in when you are ready.</source>
        <translation>已取消登录。准备好后，请选择一种登录方式。</translation>
    </message>
    <message>
        <source>No secure password store</source>
        <translation>没有安全的密码存储</translation>
    </message>
    <message>
        <source>TuneDesk can keep the secret in memory until you close it, and you type it again next time. Continue that way?</source>
        <translation>TuneDesk 可以把机密保存在内存中，直到你关闭 TuneDesk，下次需要重新输入。要这样继续吗？</translation>
    </message>
    <message>
        <source>You are signed out.</source>
        <translation>你已退出登录。</translation>
    </message>
    <message>
        <source>TuneDesk removed your saved sign-in, its cached tokens and every key and secret it had stored on this computer.</source>
        <translation>TuneDesk 已删除这台电脑上保存的登录信息、缓存的令牌，以及它存储过的所有密钥和机密。</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>正在退出登录…</translation>
    </message>
</context>
<context>
    <name>Snippets</name>
    <message>
        <source>Hello!</source>
        <translation>你好！</translation>
    </message>
    <message>
        <source>Set the environment variable {name} to the deployment&apos;s key first; never paste the key into the code.</source>
        <translation>请先把环境变量 {name} 设为此部署的密钥；切勿把密钥粘贴到代码中。</translation>
    </message>
    <message>
        <source>Serverless endpoints take the key itself in the Authorization header. If this is refused (401), remove the next line.</source>
        <translation>无服务器终结点需要在 Authorization 标头中直接传入密钥。如果请求被拒绝 (401)，请删除下一行。</translation>
    </message>
    <message>
        <source>Set the environment variable {name} to the deployment&apos;s key first; never paste the key into the command.</source>
        <translation>请先把环境变量 {name} 设为此部署的密钥；切勿把密钥粘贴到命令中。</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Model: {model} · {when}</source>
        <translation>模型：{model} · {when}</translation>
    </message>
</context>
<context>
    <name>SystemPromptBox</name>
    <message>
        <source>Optional: tell the model who it is and how to answer, e.g. “You are the help desk of Contoso. Answer briefly and politely.” It is applied to every example.</source>
        <translation>可选：告诉模型它是谁、该怎样回答，例如“你是 Contoso 的服务台，请简洁、礼貌地回答。”这段话会应用到每个示例。</translation>
    </message>
    <message>
        <source>Edit system prompt</source>
        <translation>编辑系统提示词</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Uploading your training data to Azure…</source>
        <translation>正在将训练数据上传到 Azure…</translation>
    </message>
    <message>
        <source>Creating the training job…</source>
        <translation>正在创建训练作业…</translation>
    </message>
    <message>
        <source>Azure is checking your files and waiting for a free training slot. This can take from a few minutes to an hour.</source>
        <translation>Azure 正在检查你的文件，并排队等待空闲的训练算力。这可能需要几分钟到一小时。</translation>
    </message>
    <message>
        <source>Training: the model is learning from your examples.</source>
        <translation>正在训练：模型正在从你的示例中学习。</translation>
    </message>
    <message>
        <source>Paused by Azure: Developer training runs on spare capacity and resumes by itself. Nothing is lost.</source>
        <translation>已被 Azure 暂停：开发人员训练使用空闲算力，会自动恢复，不会丢失任何进度。</translation>
    </message>
    <message>
        <source>Cancelling the training…</source>
        <translation>正在取消训练…</translation>
    </message>
    <message>
        <source>Training finished. The model is ready to deploy.</source>
        <translation>训练完成，模型可以部署了。</translation>
    </message>
    <message>
        <source>Training failed.</source>
        <translation>训练失败。</translation>
    </message>
    <message>
        <source>The training was cancelled.</source>
        <translation>训练已取消。</translation>
    </message>
    <message>
        <source>Nothing is training.</source>
        <translation>当前没有正在进行的训练。</translation>
    </message>
    <message>
        <source>Training files prepared and kept with the job</source>
        <translation>训练文件已准备好，并随作业一起保存</translation>
    </message>
    <message>
        <source>Uploaded to Azure</source>
        <translation>已上传到 Azure</translation>
    </message>
    <message>
        <source>Training job created</source>
        <translation>训练作业已创建</translation>
    </message>
    <message>
        <source>Azure checks the files and waits for a free slot</source>
        <translation>Azure 检查文件并排队等待空闲算力</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Finished: the model is ready to deploy</source>
        <translation>完成：模型可以部署了</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
</context>
<context>
    <name>Tokens</name>
    <message>
        <source>The token counter&apos;s word list could not be read ({path}).</source>
        <translation>无法读取 token 计数器的词表 ({path})。</translation>
    </message>
    <message>
        <source>Reinstall TuneDesk; this file ships with the app.</source>
        <translation>请重新安装 TuneDesk。此文件随应用一起提供。</translation>
    </message>
    <message>
        <source>The token counter&apos;s word list is damaged ({path}).</source>
        <translation>Token 计数器的词表已损坏 ({path})。</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Follow the training here. You can close TuneDesk meanwhile: the job runs on Azure, and TuneDesk picks it up again when you open this project.</source>
        <translation>在这里跟进训练进度。训练期间可以关闭 TuneDesk：作业在 Azure 上运行，再次打开此项目时，TuneDesk 会继续跟进。</translation>
    </message>
    <message>
        <source>No training yet. Choose a model and settings, check the summary and start training on the Model &amp; settings page.</source>
        <translation>还没有训练。请在“模型与设置”页上选择模型和设置、检查摘要，然后开始训练。</translation>
    </message>
    <message>
        <source>Go to Model &amp; settings</source>
        <translation>前往“模型与设置”</translation>
    </message>
    <message>
        <source>What Azure reports</source>
        <translation>Azure 报告的信息</translation>
    </message>
    <message>
        <source>Cancel training…</source>
        <translation>取消训练…</translation>
    </message>
    <message>
        <source>Save the files it was trained on…</source>
        <translation>保存训练所用的文件…</translation>
    </message>
    <message>
        <source>Deploy this model</source>
        <translation>部署此模型</translation>
    </message>
    <message>
        <source>All training jobs of this project</source>
        <translation>此项目的所有训练作业</translation>
    </message>
    <message>
        <source>Training…</source>
        <translation>正在训练…</translation>
    </message>
    <message>
        <source>Training finished</source>
        <translation>训练完成</translation>
    </message>
    <message>
        <source>Training failed</source>
        <translation>训练失败</translation>
    </message>
    <message>
        <source>Training cancelled</source>
        <translation>训练已取消</translation>
    </message>
    <message>
        <source>{model} is trained and ready to deploy.</source>
        <translation>{model} 已训练完成，可以部署了。</translation>
    </message>
    <message>
        <source>{model} could not be trained. Open TuneDesk to see why.</source>
        <translation>{model} 训练失败。请打开 TuneDesk 查看原因。</translation>
    </message>
    <message>
        <source>The training of {model} was cancelled.</source>
        <translation>{model} 的训练已取消。</translation>
    </message>
    <message>
        <source>Cancel training</source>
        <translation>取消训练</translation>
    </message>
    <message>
        <source>Cancel the training of {model}?</source>
        <translation>要取消 {model} 的训练吗？</translation>
    </message>
    <message>
        <source>Azure stops the job. What was trained so far is billed and cannot be resumed; you would start again from the beginning.</source>
        <translation>Azure 会停止该作业。已经训练的部分仍会计费，而且无法接着训练；你需要从头重新开始。</translation>
    </message>
    <message>
        <source>Keep training</source>
        <translation>继续训练</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Save the training files to a folder</source>
        <translation>将训练文件保存到文件夹</translation>
    </message>
    <message>
        <source>Saving the files…</source>
        <translation>正在保存文件…</translation>
    </message>
    <message>
        <source>Saved the training files to {folder}.</source>
        <translation>已将训练文件保存到 {folder}。</translation>
    </message>
    <message>
        <source>{percent} % of {size}</source>
        <translation>{percent}%（共 {size}）</translation>
    </message>
    <message>
        <source>Step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>Uploading: {done} of {total}</source>
        <translation>正在上传：{done}/{total}</translation>
    </message>
    <message>
        <source>{model} in {place}</source>
        <translation>在 {place} 中训练 {model}</translation>
    </message>
    <message>
        <source>started {time}</source>
        <translation>开始于 {time}</translation>
    </message>
    <message>
        <source>{duration} so far</source>
        <translation>已用时 {duration}</translation>
    </message>
    <message>
        <source>took {duration}</source>
        <translation>用时 {duration}</translation>
    </message>
    <message>
        <source>about {duration} left</source>
        <translation>剩余约 {duration}</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} 小时 {minutes} 分钟</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} 分钟</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Azure did not say why.</source>
        <translation>Azure 没有说明原因。</translation>
    </message>
    <message>
        <source>Shorten the longest examples on the Data page, or choose a model that accepts longer examples, then start again.</source>
        <translation>请在“数据”页上缩短最长的示例，或选择能接受更长示例的模型，然后重新开始。</translation>
    </message>
    <message>
        <source>Your Azure subscription has reached a limit. Wait for other jobs to finish, or ask your Azure administrator for more quota, then start again.</source>
        <translation>你的 Azure 订阅已达到上限。请等待其他作业完成，或请 Azure 管理员提高配额，然后重新开始。</translation>
    </message>
    <message>
        <source>Azure could not use the training file. Fix what the Data page&apos;s checklist reports, then start again.</source>
        <translation>Azure 无法使用训练文件。请修正“数据”页检查清单中列出的问题，然后重新开始。</translation>
    </message>
    <message>
        <source>Check the data and settings, then start again from Model &amp; settings. If it fails the same way, send Azure&apos;s reason above to your Azure administrator.</source>
        <translation>请检查数据和设置，然后在“模型与设置”页上重新开始。如果仍以同样的方式失败，请把上面 Azure 给出的原因发给 Azure 管理员。</translation>
    </message>
    <message>
        <source>Reconnecting to Azure…</source>
        <translation>正在重新连接 Azure…</translation>
    </message>
    <message>
        <source>Reconnecting to Azure… next try in {seconds} s.</source>
        <translation>正在重新连接 Azure…{seconds} 秒后再试。</translation>
    </message>
    <message>
        <source>The training goes on in Azure; TuneDesk keeps trying.</source>
        <translation>训练仍在 Azure 上进行，TuneDesk 会继续尝试连接。</translation>
    </message>
    <message>
        <source>Your sign-in has expired. Sign in again to keep watching.</source>
        <translation>登录已过期。请重新登录，以便继续查看训练进度。</translation>
    </message>
    <message>
        <source>The training goes on in Azure meanwhile.</source>
        <translation>在此期间，训练仍在 Azure 上进行。</translation>
    </message>
    <message>
        <source>Sign in again</source>
        <translation>重新登录</translation>
    </message>
</context>
<context>
    <name>TrainingPlan</name>
    <message>
        <source>Quick test</source>
        <translation>快速测试</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>Thorough</source>
        <translation>深入</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>One pass through your examples with Azure&apos;s default settings: cheap and fast, to check that everything works. The model will not learn much from it.</source>
        <translation>使用 Azure 的默认设置，把你的示例训练一轮：便宜又快，用来检查一切是否正常。模型从中学不到太多。</translation>
    </message>
    <message>
        <source>Azure chooses the settings for the size of your data; a small set is read several times. A good first real run.</source>
        <translation>由 Azure 根据数据量选择设置；数据较少时会多读几轮。适合作为第一次正式训练。</translation>
    </message>
    <message>
        <source>About twice as many passes as Azure would choose: the answers are learned more firmly, training costs about twice as much, and the model may start repeating your examples word for word instead of answering in its own words.</source>
        <translation>训练轮数约为 Azure 默认选择的两倍：答案记得更牢，训练费用也约为两倍，但模型可能开始逐字照搬你的示例，而不是用自己的话回答。</translation>
    </message>
    <message>
        <source>Your own value for each setting.</source>
        <translation>每项设置都使用你自己的值。</translation>
    </message>
    <message>
        <source>How many examples the model reads before each adjustment; larger batches suit larger data sets.</source>
        <translation>模型每调整一次之前要读取多少个示例；数据集越大，越适合使用较大的批。</translation>
    </message>
    <message>
        <source>How big each adjustment is, compared with the model&apos;s own learning rate; smaller values are safer against learning the examples by heart.</source>
        <translation>每次调整的幅度，相对于模型自身的学习率而言；值越小，越不容易把示例死记硬背下来。</translation>
    </message>
    <message>
        <source>How many times training reads through all your examples; more passes learn the answers more firmly but cost more and may repeat them word for word.</source>
        <translation>训练把你的全部示例完整读一遍的次数；轮数越多，答案记得越牢，但费用更高，还可能逐字照搬示例。</translation>
    </message>
    <message>
        <source>A number that makes a run repeatable: the same seed, data and settings give nearly the same model. Leave it empty for a random one.</source>
        <translation>让训练结果可以重现的数字：相同的种子、数据和设置会得到几乎相同的模型。留空则随机生成。</translation>
    </message>
    <message>
        <source>A short name added to the trained model&apos;s name, so you can tell your runs apart.</source>
        <translation>添加到训练后模型名称中的简短名称，方便你区分各次训练。</translation>
    </message>
    <message>
        <source>Where Azure runs the training: it decides the price, how soon it starts and whether your data stays in the region.</source>
        <translation>Azure 在哪里运行训练：它决定价格、多快开始，以及你的数据是否留在所在区域内。</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>标准</translation>
    </message>
    <message>
        <source>Data Zone</source>
        <translation>数据区域</translation>
    </message>
    <message>
        <source>Global</source>
        <translation>全局</translation>
    </message>
    <message>
        <source>Developer</source>
        <translation>开发人员</translation>
    </message>
    <message>
        <source>Standard: trains in your resource&apos;s region and your data stays there; the most expensive.</source>
        <translation>标准：在你的资源所在区域训练，数据也留在该区域；价格最高。</translation>
    </message>
    <message>
        <source>Data Zone: trains within your data zone (for example the United States) and your data stays inside it.</source>
        <translation>数据区域：在你所在的数据区域（例如美国）内训练，数据也留在该数据区域内。</translation>
    </message>
    <message>
        <source>Global: trains wherever Azure has room; cheaper than Standard and usually quicker to start, but your data may leave the region.</source>
        <translation>全局：在 Azure 任何有空闲算力的地方训练；比标准便宜，通常也开始得更快，但数据可能离开所在区域。</translation>
    </message>
    <message>
        <source>Developer: the cheapest, on spare capacity. A job may pause and resume by itself and take longer; no data residency.</source>
        <translation>开发人员：价格最低，使用空闲算力。作业可能会自动暂停和恢复，耗时更长；不保证数据留在特定区域。</translation>
    </message>
    <message>
        <source>Choose a batch size from {low} to {high}.</source>
        <translation>请选择 {low} 到 {high} 之间的批大小。</translation>
    </message>
    <message>
        <source>The batch size must be a whole number from {low} to {high}.</source>
        <translation>批大小必须是 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>Choose a learning-rate multiplier.</source>
        <translation>请选择学习率倍数。</translation>
    </message>
    <message>
        <source>The learning-rate multiplier must be more than 0 and at most {high}.</source>
        <translation>学习率倍数必须大于 0，且不超过 {high}。</translation>
    </message>
    <message>
        <source>The learning-rate multiplier must be from {low} to {high}.</source>
        <translation>学习率倍数必须在 {low} 到 {high} 之间。</translation>
    </message>
    <message>
        <source>Choose how many epochs, from {low} to {high}.</source>
        <translation>请选择训练轮数（{low} 到 {high}）。</translation>
    </message>
    <message>
        <source>The number of epochs must be a whole number from {low} to {high}.</source>
        <translation>训练轮数必须是 {low} 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>The seed must be a whole number from 0 to {high}.</source>
        <translation>随机种子必须是 0 到 {high} 之间的整数。</translation>
    </message>
    <message>
        <source>Use at most {count} characters ({length} now).</source>
        <translation>最多使用 {count} 个字符（当前为 {length} 个）。</translation>
    </message>
    <message>
        <source>Use only English letters, digits and dashes (no spaces, dots or other characters).</source>
        <translation>只能使用英文字母、数字和短横线（不能有空格、句点或其他字符）。</translation>
    </message>
    <message>
        <source>{type} training is not offered for this model here. Choose {choices}.</source>
        <translation>此处不为该模型提供{type}训练。请选择：{choices}。</translation>
    </message>
    <message>
        <source>Azure recommends trying values from {low} to {high}.</source>
        <translation>Azure 建议尝试 {low} 到 {high} 之间的值。</translation>
    </message>
    <message>
        <source>{tokens} training tokens per pass. Azure chooses the number of passes (epochs); for {examples} examples typically {epochs}, so about {trained} tokens are trained.</source>
        <translation>每轮训练 {tokens} 个 token。训练轮数由 Azure 决定；{examples} 个示例通常为 {epochs} 轮，因此约训练 {trained} 个 token。</translation>
    </message>
    <message>
        <source>{tokens} training tokens per pass × {epochs} passes (epochs) = {trained} tokens trained.</source>
        <translation>每轮 {tokens} 个训练 token × {epochs} 轮 = 共训练 {trained} 个 token。</translation>
    </message>
    <message>
        <source>Training cost: no published price for this model in TuneDesk&apos;s list; Azure bills the tokens trained, see its pricing page.</source>
        <translation>训练费用：TuneDesk 的列表中没有此模型的公开价格；Azure 按训练的 token 数计费，请查看 Azure 的定价页面。</translation>
    </message>
    <message>
        <source>Training cost: about {cost} {currency}.</source>
        <translation>训练费用：约 {cost} {currency}。</translation>
    </message>
    <message>
        <source>Training cost: about {low} to {high} {currency}.</source>
        <translation>训练费用：约 {low} 到 {high} {currency}。</translation>
    </message>
    <message>
        <source>Time: about {low} to {high} minutes including waiting in Azure&apos;s queue; Developer training may pause and take longer.</source>
        <translation>时间：约 {low} 到 {high} 分钟（包括在 Azure 队列中等待的时间）；开发人员训练可能会暂停，耗时更长。</translation>
    </message>
    <message>
        <source>Time: about {low} to {high} minutes including waiting in Azure&apos;s queue.</source>
        <translation>时间：约 {low} 到 {high} 分钟（包括在 Azure 队列中等待的时间）。</translation>
    </message>
    <message>
        <source>Afterwards, hosting the trained model is billed per hour while it is deployed (no published hourly price); delete the deployment when you are done.</source>
        <translation>之后，训练好的模型在部署期间按小时计费（无公开的每小时价格）；用完后请删除部署。</translation>
    </message>
    <message>
        <source>Afterwards, hosting the trained model is billed per hour while it is deployed ({price} {currency} an hour); delete the deployment when you are done.</source>
        <translation>之后，训练好的模型在部署期间按小时计费（每小时 {price} {currency}）；用完后请删除部署。</translation>
    </message>
    <message>
        <source>The data checks pass</source>
        <translation>数据检查通过</translation>
    </message>
    <message>
        <source>The Data page found nothing that stops training.</source>
        <translation>“数据”页没有发现妨碍训练的问题。</translation>
    </message>
    <message>
        <source>Fix the problem on the Data page.</source>
        <translation>请在“数据”页上修正这个问题。</translation>
    </message>
    <message>
        <source>Fix the {count} problems on the Data page.</source>
        <translation>请在“数据”页上修正这 {count} 个问题。</translation>
    </message>
    <message>
        <source>Drafted rows are reviewed</source>
        <translation>起草的行都已审核</translation>
    </message>
    <message>
        <source>No row is waiting for review: people wrote or accepted every one.</source>
        <translation>没有待审核的行：每一行都是人写的或已被接受。</translation>
    </message>
    <message>
        <source>{count} drafts nobody has reviewed will be trained on, as you chose. A wrong draft teaches the model a wrong answer.</source>
        <translation>按你的选择，{count} 条未经审核的草稿将用于训练。错误的草稿会教给模型错误的答案。</translation>
    </message>
    <message>
        <source>{count} rows a model drafted wait for review. Accept or reject them on the Data page, or include them unreviewed below.</source>
        <translation>有 {count} 行模型起草的内容等待审核。请在“数据”页上接受或拒绝它们，或者在下方选择不经审核直接包括。</translation>
    </message>
    <message>
        <source>At least {count} training examples</source>
        <translation>至少 {count} 个训练示例</translation>
    </message>
    <message>
        <source>{count} examples train the model.</source>
        <translation>{count} 个示例用于训练模型。</translation>
    </message>
    <message>
        <source>{count} examples train the model. Azure accepts this, but {recommended} or more well-written ones teach it much better.</source>
        <translation>{count} 个示例用于训练模型。Azure 可以接受，但 {recommended} 个或更多写得好的示例效果会好得多。</translation>
    </message>
    <message>
        <source>Only {count} of your {total} examples train the model; the others are kept for validation. Azure needs at least {minimum}: add examples, or keep fewer for validation on the Data page.</source>
        <translation>你的 {total} 个示例中只有 {count} 个用于训练模型，其余的留作验证。Azure 至少需要 {minimum} 个：请添加示例，或在“数据”页上减少留作验证的示例。</translation>
    </message>
    <message>
        <source>{count} training examples: Azure will not start with fewer than {minimum}. Add more questions and answers on the Data page ({recommended} or more work much better).</source>
        <translation>只有 {count} 个训练示例：少于 {minimum} 个时，Azure 不会开始训练。请在“数据”页上添加更多问题和答案（{recommended} 个或更多效果会好得多）。</translation>
    </message>
    <message>
        <source>Validation rows</source>
        <translation>验证行</translation>
    </message>
    <message>
        <source>{count} examples are kept aside to show whether the model also answers questions it did not train on.</source>
        <translation>留出 {count} 个示例，用来检验模型能否回答没有训练过的问题。</translation>
    </message>
    <message>
        <source>No validation rows: without validation rows you cannot see whether it generalises. Keep a few examples for validation on the Data page.</source>
        <translation>没有验证行：没有验证行，就无法看出模型能否举一反三。请在“数据”页上留出几个示例用于验证。</translation>
    </message>
    <message>
        <source>Every example fits the model</source>
        <translation>每个示例都在模型的长度限制内</translation>
    </message>
    <message>
        <source>The longest example has {tokens} tokens; {model} takes up to {limit}.</source>
        <translation>最长的示例有 {tokens} 个 token；{model} 最多接受 {limit} 个。</translation>
    </message>
    <message>
        <source>Row {row} has {tokens} tokens, more than the {limit} {model} takes in one example. Shorten it or split it into several questions.</source>
        <translation>第 {row} 行有 {tokens} 个 token，超过了 {model} 单个示例最多 {limit} 个的限制。请缩短，或拆成几个问题。</translation>
    </message>
    <message>
        <source>The longest example has {tokens} tokens, more than the {limit} {model} takes in one example. Shorten it or split it into several questions.</source>
        <translation>最长的示例有 {tokens} 个 token，超过了 {model} 单个示例最多 {limit} 个的限制。请缩短，或拆成几个问题。</translation>
    </message>
    <message>
        <source>Azure still trains this model</source>
        <translation>Azure 仍提供此模型的训练</translation>
    </message>
    <message>
        <source>{model} can be fine-tuned by anyone.</source>
        <translation>任何人都可以微调 {model}。</translation>
    </message>
    <message>
        <source>{note} Choose another model on this page.</source>
        <translation>{note}请在本页上选择其他模型。</translation>
    </message>
    <message>
        <source>{note} If your organisation has not, Azure will refuse the job: choose another model.</source>
        <translation>{note}如果你的组织以前没有微调过它，Azure 会拒绝该作业：请选择其他模型。</translation>
    </message>
    <message>
        <source>The place can train it</source>
        <translation>所选训练位置可以训练此模型</translation>
    </message>
    <message>
        <source>Choose where to train on the Sign in page (step 1).</source>
        <translation>请在“登录”页上选择在哪里训练（第 1 步）。</translation>
    </message>
    <message>
        <source>{model} is no longer trained anywhere.</source>
        <translation>{model} 已无法在任何地方训练。</translation>
    </message>
    <message>
        <source>{model} is trained in a hub project in {region}.</source>
        <translation>{model} 在 {region} 的中心项目中训练。</translation>
    </message>
    <message>
        <source>{model} is trained in a hub project, and hub projects in {region} cannot fine-tune it. Choose or create a project in one of: {regions}.</source>
        <translation>{model} 需要在中心项目中训练，而 {region} 的中心项目无法微调它。请在以下区域之一选择或创建项目：{regions}。</translation>
    </message>
    <message>
        <source>A Foundry resource in {region} can train {model} ({types}).</source>
        <translation>{region} 的 Foundry 资源可以训练 {model}（{types}）。</translation>
    </message>
    <message>
        <source>Foundry resources in {region} cannot fine-tune {model}. Choose or create one in one of: {regions}.</source>
        <translation>{region} 的 Foundry 资源无法微调 {model}。请在以下区域之一选择或创建资源：{regions}。</translation>
    </message>
    <message>
        <source>The settings are valid</source>
        <translation>设置有效</translation>
    </message>
    <message>
        <source>Every setting is within what Azure accepts.</source>
        <translation>每项设置都在 Azure 接受的范围内。</translation>
    </message>
    <message>
        <source>{count} settings need a change; the reasons are shown beside them.</source>
        <translation>有 {count} 项设置需要修改，原因显示在各项旁边。</translation>
    </message>
    <message>
        <source>Within Azure&apos;s limit of trained tokens</source>
        <translation>未超过 Azure 的训练 token 上限</translation>
    </message>
    <message>
        <source>Checked once the tokens of the training examples are counted.</source>
        <translation>统计完训练示例的 token 数后才会检查。</translation>
    </message>
    <message>
        <source>About {trained} tokens trained; Azure allows up to {cap} per job.</source>
        <translation>约训练 {trained} 个 token；Azure 每个作业最多允许 {cap} 个。</translation>
    </message>
    <message>
        <source>About {trained} tokens would be trained; Azure allows up to {cap} per job (tokens × epochs). Use fewer epochs or fewer examples.</source>
        <translation>约需训练 {trained} 个 token；Azure 每个作业最多允许 {cap} 个（token 数 × 轮数）。请减少训练轮数或示例。</translation>
    </message>
    <message>
        <source>Permissions (as far as can be known)</source>
        <translation>权限（据目前所知）</translation>
    </message>
    <message>
        <source>Training needs the role Foundry User (formerly Azure AI User) on the hub project; deploying needs Foundry Owner (formerly Azure AI Owner), or Owner or Contributor. Azure says so when the job starts if a role is missing.</source>
        <translation>训练需要你在中心项目上拥有 Foundry User（原 Azure AI User）角色；部署需要 Foundry Owner（原 Azure AI Owner）、Owner（所有者）或 Contributor（参与者）角色。如果缺少角色，Azure 会在作业开始时提示。</translation>
    </message>
    <message>
        <source>Training needs the role Foundry User (formerly Azure AI User) or Cognitive Services OpenAI Contributor on the resource; deploying needs Foundry Owner (formerly Azure AI Owner), or Owner or Contributor. Azure says so when the job starts if a role is missing.</source>
        <translation>训练需要你在该资源上拥有 Foundry User（原 Azure AI User）或 Cognitive Services OpenAI Contributor（认知服务 OpenAI 参与者）角色；部署需要 Foundry Owner（原 Azure AI Owner）、Owner（所有者）或 Contributor（参与者）角色。如果缺少角色，Azure 会在作业开始时提示。</translation>
    </message>
</context>
<context>
    <name>UnavailableStepPage</name>
    <message>
        <source>Not available yet: this step comes in a later version of TuneDesk. Everything you prepare on the Data page is kept and will be used here.</source>
        <translation>此步骤将在 TuneDesk 后续版本中推出。你在“数据”页准备的内容都会保留，届时可直接使用。</translation>
    </message>
</context>
<context>
    <name>_Bubble</name>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy this message (as Markdown)</source>
        <translation>复制这条消息（Markdown 格式）</translation>
    </message>
</context>
<context>
    <name>_DeploymentCard</name>
    <message>
        <source>{model} (the base model, not trained)</source>
        <translation>{model}（基础模型，未经训练）</translation>
    </message>
    <message>
        <source>{model}, trained {when}</source>
        <translation>{model}，训练于 {when}</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>being set up</source>
        <translation>正在设置</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>设置失败</translation>
    </message>
    <message>
        <source>being deleted</source>
        <translation>正在删除</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>in an unknown state</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <source>Deployment {name} · {type} · {state} since {when}</source>
        <translation>部署 {name} · {type} · {state}（自 {when} 起）</translation>
    </message>
    <message>
        <source>Chat with it</source>
        <translation>与它对话</translation>
    </message>
    <message>
        <source>Delete deployment…</source>
        <translation>删除部署…</translation>
    </message>
</context>
<context>
    <name>_JobCard</name>
    <message>
        <source>Trained {when} in {place} · data {version} · {rows} rows</source>
        <translation>{when} 在 {place} 中训练 · 数据 {version} · {rows} 行</translation>
    </message>
    <message>
        <source>Deployment type:</source>
        <translation>部署类型：</translation>
    </message>
    <message>
        <source>Which version:</source>
        <translation>哪个版本：</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>部署</translation>
    </message>
    <message>
        <source>Also deploy the base model, to compare</source>
        <translation>同时部署基础模型，用于对比</translation>
    </message>
    <message>
        <source>{model} as it was before training, billed per token (no hourly fee): ask both the same questions on the Chat &amp; check page.</source>
        <translation>训练前的 {model}，按 token 计费（不收小时费用）：可在“对话与检验”页上向两者提出相同的问题。</translation>
    </message>
    <message>
        <source>The finished model</source>
        <translation>最终完成的模型</translation>
    </message>
    <message>
        <source>Checkpoint at step {step}</source>
        <translation>第 {step} 步的检查点</translation>
    </message>
    <message>
        <source>validation loss {loss}</source>
        <translation>验证损失 {loss}</translation>
    </message>
    <message>
        <source>suggested: lowest validation loss</source>
        <translation>推荐：验证损失最低</translation>
    </message>
</context>
</TS>
