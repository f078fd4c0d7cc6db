<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Actions</name>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import MIDI…</source>
        <translation>导入 MIDI(&amp;I)…</translation>
    </message>
    <message>
        <source>Export &amp;MIDI…</source>
        <translation>导出 MIDI(&amp;M)…</translation>
    </message>
    <message>
        <source>Export &amp;WAV…</source>
        <translation>导出 WAV(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste at Playhead</source>
        <translation>在播放头处粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>重复(&amp;D)</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>删除(&amp;L)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>Select &amp;None</source>
        <translation>取消选择(&amp;N)</translation>
    </message>
    <message>
        <source>Transpose Up</source>
        <translation>升高半音</translation>
    </message>
    <message>
        <source>Transpose Down</source>
        <translation>降低半音</translation>
    </message>
    <message>
        <source>Octave Up</source>
        <translation>升高八度</translation>
    </message>
    <message>
        <source>Octave Down</source>
        <translation>降低八度</translation>
    </message>
    <message>
        <source>&amp;Quantize to Grid</source>
        <translation>量化到网格(&amp;Q)</translation>
    </message>
    <message>
        <source>Nudge Left</source>
        <translation>向左微移</translation>
    </message>
    <message>
        <source>Nudge Right</source>
        <translation>向右微移</translation>
    </message>
    <message>
        <source>Mo&amp;ve Controllers with Notes</source>
        <translation>控制器随音符移动(&amp;V)</translation>
    </message>
    <message>
        <source>Delete the bars under the loop region while looping is on (else the selected notes&apos; bars, else the playhead&apos;s bar) from every track: everything after moves earlier (Ctrl+Shift+Del)</source>
        <translation>从所有轨道删除循环区域下的小节（循环开启时；否则为选中音符所在的小节，再否则为播放头所在小节）：其后的一切向前移 (Ctrl+Shift+Del)</translation>
    </message>
    <message>
        <source>Trim &amp;Silent Bars at the End</source>
        <translation>删除末尾的空小节(&amp;S)</translation>
    </message>
    <message>
        <source>Add Mar&amp;ker at Playhead</source>
        <translation>在播放头处添加标记(&amp;K)</translation>
    </message>
    <message>
        <source>Moving notes also moves the controllers (pedal, bend, ...) under them</source>
        <translation>移动音符时，其下方的控制器（踏板、弯音等）一起移动</translation>
    </message>
    <message>
        <source>Transpose Up in Key</source>
        <translation>按调升高一级</translation>
    </message>
    <message>
        <source>Each selected note up to the next note of the key (C-E-G in C major: D-F-A) (Alt+Up)</source>
        <translation>每个选中的音符升到调内的下一个音（C 大调中 C-E-G 变为 D-F-A）(Alt+Up)</translation>
    </message>
    <message>
        <source>Transpose Down in Key</source>
        <translation>按调降低一级</translation>
    </message>
    <message>
        <source>Each selected note down to the next note of the key below it (Alt+Down)</source>
        <translation>每个选中的音符降到调内的下一个较低的音 (Alt+Down)</translation>
    </message>
    <message>
        <source>Quantize with S&amp;wing</source>
        <translation>摇摆量化(&amp;W)</translation>
    </message>
    <message>
        <source>Quantize to the grid swung: every second line of it later, at two thirds of the pair, as swung eighths are played (set the grid to 1/8 or 1/16) (Shift+Q)</source>
        <translation>量化到摇摆的网格：每两条网格线中的第二条推后到这一对的三分之二处，如同摇摆八分音符的奏法（网格设为 1/8 或 1/16）(Shift+Q)</translation>
    </message>
    <message>
        <source>&amp;Insert Bars…</source>
        <translation>插入小节(&amp;I)…</translation>
    </message>
    <message>
        <source>Insert empty bars on every track before the playhead&apos;s bar (or the first selected note&apos;s): everything after moves later (Ctrl+Shift+B)</source>
        <translation>在所有轨道上、播放头所在小节（或第一个选中音符所在小节）之前插入空小节：其后的一切向后移 (Ctrl+Shift+B)</translation>
    </message>
    <message>
        <source>D&amp;elete Bars</source>
        <translation>删除小节(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Meter Change at This Bar</source>
        <translation>在此小节更改拍号(&amp;M)</translation>
    </message>
    <message>
        <source>A new meter starts at the playhead&apos;s bar: the meter box then sets the bars from there on</source>
        <translation>从播放头所在小节开始新的拍号：之后拍号框设置从该小节起的小节</translation>
    </message>
    <message>
        <source>&amp;Key Change at This Bar</source>
        <translation>在此小节更改调号(&amp;K)</translation>
    </message>
    <message>
        <source>A new key starts at the playhead&apos;s bar: the key box then sets the key from there on</source>
        <translation>从播放头所在小节开始新的调：之后调号框设置从该小节起的调</translation>
    </message>
    <message>
        <source>Re-&amp;bar One-Beat Bars in 4/4</source>
        <translation>将一拍小节重划为 4/4(&amp;B)</translation>
    </message>
    <message>
        <source>This piece is in 1/4 throughout: its bars are beats (a sequencer&apos;s beat grid). Give it 4/4 bars from its downbeat, the bars the models hear; every note stays where it is</source>
        <translation>本曲全程为 1/4 拍：它的小节其实是拍（音序器的拍网格）。从强拍起改为 4/4 小节，即模型听到的小节；每个音符都留在原处</translation>
    </message>
    <message>
        <source>This piece ends in bars with no notes, as the MIDI file it came from does (a loop&apos;s rests): end it at its last note instead. The ruler marks its end</source>
        <translation>这首乐曲以没有音符的小节结尾，与它来自的 MIDI 文件一样（循环段的休止）：改为在最后一个音符处结束。标尺上标出了它的结尾</translation>
    </message>
    <message>
        <source>Next Marker</source>
        <translation>下一个标记</translation>
    </message>
    <message>
        <source>Previous Marker</source>
        <translation>上一个标记</translation>
    </message>
    <message>
        <source>Zoom &amp;In (time)</source>
        <translation>放大（时间）(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom &amp;Out (time)</source>
        <translation>缩小（时间）(&amp;O)</translation>
    </message>
    <message>
        <source>Zoom In (pitch)</source>
        <translation>放大（音高）</translation>
    </message>
    <message>
        <source>Zoom Out (pitch)</source>
        <translation>缩小（音高）</translation>
    </message>
    <message>
        <source>Zoom to &amp;Fit</source>
        <translation>缩放到全曲(&amp;F)</translation>
    </message>
    <message>
        <source>Scroll Left</source>
        <translation>向左滚动</translation>
    </message>
    <message>
        <source>Scroll Right</source>
        <translation>向右滚动</translation>
    </message>
    <message>
        <source>&amp;Follow Playhead</source>
        <translation>跟随播放头(&amp;F)</translation>
    </message>
    <message>
        <source>C&amp;hord Names</source>
        <translation>和弦名称(&amp;H)</translation>
    </message>
    <message>
        <source>Chords of A&amp;ll Tracks</source>
        <translation>所有轨道的和弦(&amp;L)</translation>
    </message>
    <message>
        <source>Name the chords of all tracks together (off: of the active track only)</source>
        <translation>根据所有轨道一起命名和弦（关闭时：仅当前轨道）</translation>
    </message>
    <message>
        <source>&amp;Draw</source>
        <translation>绘制(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Select</source>
        <translation>选择(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Move</source>
        <translation>移动(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Resize</source>
        <translation>调整长度(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Erase</source>
        <translation>擦除(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Play / Stop</source>
        <translation>播放 / 停止(&amp;P)</translation>
    </message>
    <message>
        <source>Play from &amp;Start</source>
        <translation>从头播放(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Go to Start</source>
        <translation>回到开头(&amp;G)</translation>
    </message>
    <message>
        <source>Go to &amp;End</source>
        <translation>跳到结尾(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Loop</source>
        <translation>循环(&amp;L)</translation>
    </message>
    <message>
        <source>Loop the region set by dragging along the bar ruler (L)</source>
        <translation>循环播放在小节标尺上拖动设定的区域 (L)</translation>
    </message>
    <message>
        <source>&amp;Metronome</source>
        <translation>节拍器(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>录音(&amp;R)</translation>
    </message>
    <message>
        <source>S&amp;tep Input</source>
        <translation>步进输入(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Jam</source>
        <translation>即兴(&amp;J)</translation>
    </message>
    <message>
        <source>Recor&amp;d Replaces</source>
        <translation>录音时替换(&amp;D)</translation>
    </message>
    <message>
        <source>Recording replaces the notes in the recorded bars (off: overdub)</source>
        <translation>录音替换所录小节中的音符（关闭：叠录）</translation>
    </message>
    <message>
        <source>&amp;Quantize Recording</source>
        <translation>量化录音(&amp;Q)</translation>
    </message>
    <message>
        <source>Snap recorded note starts to the grid as they come in</source>
        <translation>录入时将音符起点对齐到网格</translation>
    </message>
    <message>
        <source>MIDI T&amp;hru</source>
        <translation>MIDI 直通(&amp;H)</translation>
    </message>
    <message>
        <source>Hear what you play on the keyboard through the app&apos;s synth</source>
        <translation>通过应用的合成器听到你在键盘上弹奏的声音</translation>
    </message>
    <message>
        <source>Send MIDI &amp;Clock</source>
        <translation>发送 MIDI 时钟(&amp;C)</translation>
    </message>
    <message>
        <source>Send MIDI clock, start and stop with the transport to the MIDI output</source>
        <translation>随走带向 MIDI 输出发送 MIDI 时钟、开始和停止</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Forget My Taste</source>
        <translation>忘记我的偏好(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;About MuseStudio</source>
        <translation>关于 MuseStudio(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Damaged files moved aside</source>
        <translation>已移开损坏的文件</translation>
    </message>
    <message>
        <source>These learned styles cannot be used, so the Style list leaves them out (Learn a Style lists them too); their files are left as they are in %1:</source>
        <translation>以下学习的风格无法使用，因此风格列表中不显示它们（“学习风格”中也会列出）；它们的文件原样保留在 %1 中：</translation>
    </message>
    <message>
        <source>Learned styles that cannot be used</source>
        <translation>无法使用的学习风格</translation>
    </message>
</context>
<context>
    <name>AutosaveStatus</name>
    <message>
        <source>⚠ Autosave failed: changes not protected</source>
        <translation>⚠ 自动保存失败：更改未受保护</translation>
    </message>
    <message>
        <source>Autosave failed</source>
        <translation>自动保存失败</translation>
    </message>
    <message>
        <source>Autosave works again: your changes are protected.</source>
        <translation>自动保存已恢复：你的更改受到保护。</translation>
    </message>
</context>
<context>
    <name>Autosaver</name>
    <message>
        <source>Autosave failed: %1. Your latest changes are NOT protected by a recovery copy (in %2). MuseStudio keeps trying; save the piece to keep it safe.</source>
        <translation>自动保存失败：%1。你最近的更改没有恢复副本保护（位于 %2）。MuseStudio 会继续重试；请保存乐曲以确保安全。</translation>
    </message>
</context>
<context>
    <name>BarEdits</name>
    <message>
        <source>Delete Bars</source>
        <translation>删除小节</translation>
    </message>
    <message>
        <source>D&amp;elete Bar %1</source>
        <translation>删除第 %1 小节(&amp;E)</translation>
    </message>
    <message>
        <source>D&amp;elete Bars %1-%2</source>
        <translation>删除第 %1-%2 小节(&amp;E)</translation>
    </message>
    <message>
        <source>Nothing to delete: those bars lie after the end of the piece.</source>
        <translation>没有可删除的内容：这些小节在乐曲结尾之后。</translation>
    </message>
    <message>
        <source>Insert Bars Before Bar %1…</source>
        <translation>在第 %1 小节前插入小节…</translation>
    </message>
    <message>
        <source>Delete Bar %1</source>
        <translation>删除第 %1 小节</translation>
    </message>
    <message>
        <source>Delete Bars %1-%2</source>
        <translation>删除第 %1-%2 小节</translation>
    </message>
</context>
<context>
    <name>ControllerLane</name>
    <message>
        <source>No events yet (default %1)</source>
        <translation>尚无事件（默认 %1）</translation>
    </message>
    <message>
        <source>down</source>
        <translation>踩下</translation>
    </message>
    <message>
        <source>up</source>
        <translation>抬起</translation>
    </message>
    <message>
        <source>Erase controllers</source>
        <translation>擦除控制器</translation>
    </message>
    <message>
        <source>Draw line</source>
        <translation>绘制直线</translation>
    </message>
    <message>
        <source>Draw controller</source>
        <translation>绘制控制器</translation>
    </message>
</context>
<context>
    <name>ControllerPanel</name>
    <message>
        <source>Controller lane shown below (● = this track has events in it)</source>
        <translation>下方显示的控制器通道（● = 此音轨在其中有事件）</translation>
    </message>
    <message>
        <source>Sustain pedal</source>
        <translation>延音踏板</translation>
    </message>
    <message>
        <source>Modulation</source>
        <translation>调制</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>表情</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>声像</translation>
    </message>
    <message>
        <source>Pitch bend</source>
        <translation>弯音</translation>
    </message>
    <message>
        <source>Channel pressure</source>
        <translation>通道触后</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Draw values freehand (right button erases)</source>
        <translation>徒手绘制数值（右键擦除）</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>直线</translation>
    </message>
    <message>
        <source>Draw a straight line: a ramp or a held value</source>
        <translation>绘制直线：渐变或保持的数值</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>擦除</translation>
    </message>
    <message>
        <source>Erase the events you sweep over</source>
        <translation>擦除划过的事件</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>Draw note</source>
        <translation>绘制音符</translation>
    </message>
    <message>
        <source>Delete notes</source>
        <translation>删除音符</translation>
    </message>
    <message>
        <source>Move notes</source>
        <translation>移动音符</translation>
    </message>
    <message>
        <source>Resize notes</source>
        <translation>调整音符长度</translation>
    </message>
    <message>
        <source>Change velocity</source>
        <translation>修改力度</translation>
    </message>
    <message>
        <source>Transpose octave</source>
        <translation>八度移调</translation>
    </message>
    <message>
        <source>Transpose</source>
        <translation>移调</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>重复</translation>
    </message>
    <message>
        <source>Copy notes</source>
        <translation>复制音符</translation>
    </message>
    <message>
        <source>Cut</source>
        <translation>剪切</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Track %1</source>
        <translation>音轨 %1</translation>
    </message>
    <message>
        <source>Add track</source>
        <translation>添加音轨</translation>
    </message>
    <message>
        <source>Delete track</source>
        <translation>删除音轨</translation>
    </message>
    <message>
        <source>Rename track</source>
        <translation>重命名音轨</translation>
    </message>
    <message>
        <source>Set tempo</source>
        <translation>设置速度</translation>
    </message>
    <message>
        <source>Add tempo change</source>
        <translation>添加速度变化</translation>
    </message>
    <message>
        <source>Change tempo</source>
        <translation>更改速度</translation>
    </message>
    <message>
        <source>Move tempo change</source>
        <translation>移动速度变化</translation>
    </message>
    <message>
        <source>Delete tempo change</source>
        <translation>删除速度变化</translation>
    </message>
    <message>
        <source>Marker %1</source>
        <translation>标记 %1</translation>
    </message>
    <message>
        <source>Add marker</source>
        <translation>添加标记</translation>
    </message>
    <message>
        <source>Not transposed: set a key in the key box first (no key can be heard)</source>
        <translation>未移调：请先在调性框中设置调性（听不出调性）</translation>
    </message>
    <message>
        <source>Not transposed: a selected note would go past MIDI&apos;s range of pitches (0-127)</source>
        <translation>未移调：有选中的音符会超出 MIDI 音高范围（0-127）</translation>
    </message>
    <message>
        <source>Transpose in key</source>
        <translation>按调移调</translation>
    </message>
    <message>
        <source>No key is set: moved along %1, the key the notes are in</source>
        <translation>未设置调性：已按音符所在的调 %1 移动</translation>
    </message>
    <message>
        <source>Quantize with swing</source>
        <translation>摇摆量化</translation>
    </message>
    <message numerus="yes">
        <source>Quantize merged %n note(s) into a note of the same pitch played just before on the same grid line.</source>
        <translation>
            <numerusform>量化将 %n 个音符并入了同一网格线上稍早弹奏的同音高音符。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Quantize moved %n note(s) on to the next grid line: a note of the same pitch played earlier took the line.</source>
        <translation>
            <numerusform>量化将 %n 个音符移到了下一条网格线：该网格线已被更早弹奏的同音高音符占用。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to duplicate: no notes are selected. Select notes first.</source>
        <translation>没有可重复的内容：未选中任何音符。请先选择音符。</translation>
    </message>
    <message numerus="yes">
        <source>Duplicated %n note(s) at %1 in %2.</source>
        <translation>
            <numerusform>已重复 %n 个音符，放在 %2 的%1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Copied %n note(s) from %2.</source>
        <translation>
            <numerusform>已从 %2 复制 %n 个音符。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to copy: no notes are selected. Select notes first.</source>
        <translation>没有可复制的内容：未选中任何音符。请先选择音符。</translation>
    </message>
    <message>
        <source>Nothing to cut: no notes are selected. Select notes first.</source>
        <translation>没有可剪切的内容：未选中任何音符。请先选择音符。</translation>
    </message>
    <message numerus="yes">
        <source>Cut %n note(s) from %2.</source>
        <translation>
            <numerusform>已从 %2 剪切 %n 个音符。</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing pasted: the notes on the clipboard cannot be read.</source>
        <translation>未粘贴：无法读取剪贴板上的音符。</translation>
    </message>
    <message>
        <source>Nothing to paste: the clipboard holds no notes. Copy or cut notes first.</source>
        <translation>没有可粘贴的内容：剪贴板上没有音符。请先复制或剪切音符。</translation>
    </message>
    <message numerus="yes">
        <source>Pasted %n note(s) at %1 in %2.</source>
        <translation>
            <numerusform>已粘贴 %n 个音符到 %2 的%1。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Paste merged %n copied note(s) into a note of the same pitch already starting there.</source>
        <translation>
            <numerusform>粘贴将 %n 个复制的音符并入了在同一位置开始的同音高音符。</numerusform>
        </translation>
    </message>
    <message>
        <source>bar %1</source>
        <translation>第 %1 小节</translation>
    </message>
    <message>
        <source>bar %1, beat %2</source>
        <translation>第 %1 小节第 %2 拍</translation>
    </message>
    <message>
        <source>Rename marker</source>
        <translation>重命名标记</translation>
    </message>
    <message>
        <source>Move marker</source>
        <translation>移动标记</translation>
    </message>
    <message>
        <source>Delete marker</source>
        <translation>删除标记</translation>
    </message>
    <message>
        <source>Draw controller</source>
        <translation>绘制控制器</translation>
    </message>
    <message>
        <source>Edit controllers</source>
        <translation>编辑控制器</translation>
    </message>
    <message>
        <source>Set time signature</source>
        <translation>设置拍号</translation>
    </message>
    <message>
        <source>Add meter change</source>
        <translation>添加拍号变化</translation>
    </message>
    <message>
        <source>Remove meter change</source>
        <translation>移除拍号变化</translation>
    </message>
    <message>
        <source>Add key change</source>
        <translation>添加调号变化</translation>
    </message>
    <message>
        <source>Remove key change</source>
        <translation>移除调号变化</translation>
    </message>
    <message>
        <source>Re-bar in 4/4</source>
        <translation>重划为 4/4 小节</translation>
    </message>
    <message>
        <source>Trim silent bars</source>
        <translation>删除末尾空小节</translation>
    </message>
    <message>
        <source>Insert bars before bar %1</source>
        <translation>在第 %1 小节前插入小节</translation>
    </message>
    <message>
        <source>The piece ends as it did before those bars were inserted: the silent bars up to them went too.</source>
        <translation>乐曲的结尾回到插入这些小节之前的位置：它们之前的空白小节也一并删除。</translation>
    </message>
    <message>
        <source>As the file plays them, these tracks now start as their shared MIDI channel sounds after the deleted bars (its instrument, volume, pan and pedals): %1</source>
        <translation>与文件的播放一致，这些轨道现在以其共享 MIDI 通道在被删除小节之后的声音开始（乐器、音量、声像和踏板）：%1</translation>
    </message>
    <message>
        <source>Delete bar %1</source>
        <translation>删除第 %1 小节</translation>
    </message>
    <message>
        <source>Delete bars %1-%2</source>
        <translation>删除第 %1-%2 小节</translation>
    </message>
    <message>
        <source>Set key</source>
        <translation>设置调性</translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message>
        <source>there is no such file</source>
        <translation>没有这个文件</translation>
    </message>
    <message>
        <source>not a MIDI file (%1)</source>
        <translation>不是 MIDI 文件（%1）</translation>
    </message>
    <message>
        <source>a folder with no MIDI files in it (%1)</source>
        <translation>文件夹里没有 MIDI 文件（%1）</translation>
    </message>
    <message>
        <source>more than %1 files: the rest were left out</source>
        <translation>超过 %1 个文件：其余的已略去</translation>
    </message>
    <message>
        <source>it cannot be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>it has no pitched notes (only drums, or nothing)</source>
        <translation>没有有音高的音符（只有鼓，或什么都没有）</translation>
    </message>
    <message>
        <source>its meter %1 is one the models have no token for</source>
        <translation>它的拍号 %1 是模型没有对应记号的拍号</translation>
    </message>
    <message>
        <source>it is shorter than %1 bars</source>
        <translation>不足 %1 小节</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no MIDI files given</source>
        <translation>没有给出 MIDI 文件</translation>
    </message>
    <message>
        <source>a learned style needs a name</source>
        <translation>学习的风格需要一个名字</translation>
    </message>
    <message>
        <source>a style name can be at most %1 characters</source>
        <translation>风格名称最多 %1 个字符</translation>
    </message>
    <message>
        <source>a style name cannot hold control characters</source>
        <translation>风格名称不能含有控制字符</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a built-in style; choose another name</source>
        <translation>“%1”是内置风格，请另选一个名字</translation>
    </message>
    <message>
        <source>there is already a learned style called &apos;%1&apos;</source>
        <translation>已有名为“%1”的学习风格</translation>
    </message>
    <message>
        <source>there is no learned style called &apos;%1&apos;</source>
        <translation>没有名为“%1”的学习风格</translation>
    </message>
    <message>
        <source>%1 is not a MuseStudio learned style</source>
        <translation>%1 不是 MuseStudio 的学习风格</translation>
    </message>
    <message>
        <source>%1 has style format %2, this version reads %3: it was made by a newer MuseStudio</source>
        <translation>%1 的风格格式为 %2，本版本可读取 %3：它由更新版本的 MuseStudio 制作</translation>
    </message>
    <message>
        <source>%1 has no style name</source>
        <translation>%1 没有风格名称</translation>
    </message>
    <message>
        <source>%1 starts from an unknown built-in style &apos;%2&apos;</source>
        <translation>%1 基于未知的内置风格“%2”</translation>
    </message>
    <message>
        <source>%1 names no base model this version knows (%2)</source>
        <translation>%1 没有指明本版本认识的基础模型（%2）</translation>
    </message>
    <message>
        <source>%1: the entry for %2 has no base model hash</source>
        <translation>%1：%2 的条目没有基础模型哈希值</translation>
    </message>
    <message>
        <source>%1: the entry for %2 has no valid rank</source>
        <translation>%1：%2 的条目没有有效的秩</translation>
    </message>
    <message>
        <source>%1: the entry for %2 reads onsets in an unknown order</source>
        <translation>%1：%2 的条目以未知顺序读取起音</translation>
    </message>
    <message>
        <source>%1: the key prior for %2 is damaged (12 numbers per mode expected)</source>
        <translation>%1：%2 的调性先验已损坏（每种调式应有 12 个数字）</translation>
    </message>
    <message>
        <source>%1: its &apos;%2&apos; is damaged</source>
        <translation>%1：其中的“%2”已损坏</translation>
    </message>
    <message>
        <source>%1 is too large to be a style&apos;s settings</source>
        <translation>%1 太大，不可能是风格的设置</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is damaged (not valid JSON)</source>
        <translation>%1 已损坏（不是有效的 JSON）</translation>
    </message>
    <message>
        <source>the weights of learned style &apos;%1&apos; (%2) are missing</source>
        <translation>学习风格“%1”的权重文件（%2）缺失</translation>
    </message>
    <message>
        <source>%1 is larger than a learned style can be (4 MB)</source>
        <translation>%1 超过了学习风格的大小上限（4 MB）</translation>
    </message>
    <message>
        <source>learned style &apos;%1&apos; has no layers for the %2 model (it was learned for: %3)</source>
        <translation>学习风格“%1”没有用于 %2 模型的层（它是为以下模型学习的：%3）</translation>
    </message>
    <message>
        <source>learned style &apos;%1&apos; was made for another %2 model than the one installed (it was learned on a file with hash %3; the installed model has changed since). Learn it again from your files.</source>
        <translation>学习风格“%1”是为另一个 %2 模型制作的，而非当前安装的模型（它学习时所用文件的哈希值为 %3；安装的模型此后已更改）。请用你的文件重新学习。</translation>
    </message>
    <message>
        <source>the learned weights are larger than 4 MB; use a lower rank</source>
        <translation>学到的权重超过 4 MB；请使用更低的秩</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>cannot delete %1: %2</source>
        <translation>无法删除 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a MuseStudio style file</source>
        <translation>%1 不是 MuseStudio 风格文件</translation>
    </message>
    <message>
        <source>%1 holds files larger than a learned style can be</source>
        <translation>%1 含有超过学习风格大小上限的文件</translation>
    </message>
    <message>
        <source>%1 cannot be read as a style file: %2</source>
        <translation>无法将 %1 作为风格文件读取：%2</translation>
    </message>
    <message>
        <source>%1</source>
        <comment>zipfile&apos;s words for a file picked as a style file that is no zip at all</comment>
        <translation>不是 MuseStudio 风格文件</translation>
    </message>
    <message>
        <source>%1</source>
        <comment>zipfile&apos;s words for a style file that is a damaged zip (a bad checksum...)</comment>
        <translation>文件已损坏</translation>
    </message>
    <message>
        <source>%1 is damaged (its settings are not valid JSON)</source>
        <translation>%1 已损坏（其设置不是有效的 JSON）</translation>
    </message>
    <message>
        <source>%1: the weights are damaged</source>
        <translation>%1：权重已损坏</translation>
    </message>
    <message>
        <source>%1: the weights are damaged (sizes do not add up)</source>
        <translation>%1：权重已损坏（大小对不上）</translation>
    </message>
    <message>
        <source>learned style &apos;%1&apos; cannot be used: %2</source>
        <translation>学习风格“%1”无法使用：%2</translation>
    </message>
    <message>
        <source>no usable MIDI files to learn from (%1)</source>
        <translation>没有可用来学习的 MIDI 文件（%1）</translation>
    </message>
    <message>
        <source>the files are too short to keep any bars out for the check: give at least %1 bars</source>
        <translation>文件太短，无法留出小节用于检验：请至少提供 %1 小节</translation>
    </message>
    <message>
        <source>none of the models a style can be learned for is installed (%1)</source>
        <translation>可用于学习风格的模型一个也没有安装（%1）</translation>
    </message>
    <message>
        <source>a style can start only from a built-in style the models were trained on: %1</source>
        <translation>风格只能基于模型训练过的内置风格：%1</translation>
    </message>
    <message>
        <source>cannot save the style (%1): %2</source>
        <translation>无法保存该风格（%1）：%2</translation>
    </message>
    <message>
        <source>%1 is empty</source>
        <translation>%1 是空的</translation>
    </message>
    <message>
        <source>%1 is not a MIDI file (it does not start with a MIDI header)</source>
        <translation>%1 不是 MIDI 文件（它不以 MIDI 文件头开始）</translation>
    </message>
    <message>
        <source>%1 is a type-2 MIDI file (separate songs); only types 0 and 1 open</source>
        <translation>%1 是 2 型 MIDI 文件（多首独立的乐曲）；只能打开 0 型和 1 型</translation>
    </message>
    <message>
        <source>%1 is damaged or incomplete (%2)</source>
        <translation>%1 已损坏或不完整（%2）</translation>
    </message>
    <message>
        <source>%1 is damaged (%2)</source>
        <translation>%1 已损坏（%2）</translation>
    </message>
    <message>
        <source>%1 contains no MIDI events</source>
        <translation>%1 不含任何 MIDI 事件</translation>
    </message>
    <message>
        <source>%1 is damaged or incomplete (its events lie absurdly far apart: %2 hours)</source>
        <translation>%1 已损坏或不完整（其事件相隔远得离谱：%2 小时）</translation>
    </message>
    <message>
        <source>%1 is an RMID file with no MIDI data in it</source>
        <translation>%1 是不含 MIDI 数据的 RMID 文件</translation>
    </message>
    <message>
        <source>it ends too early</source>
        <translation>文件过早结束</translation>
    </message>
    <message>
        <source>it does not start with a MIDI header</source>
        <translation>它不以 MIDI 文件头开始</translation>
    </message>
    <message>
        <source>its header is too short</source>
        <translation>文件头太短</translation>
    </message>
    <message>
        <source>its SMPTE time division (%1 frames per second) is not one MIDI defines</source>
        <translation>它的 SMPTE 时间划分（每秒 %1 帧）不是 MIDI 定义的</translation>
    </message>
    <message>
        <source>its time division is zero ticks per beat</source>
        <translation>它的时间划分为每拍 0 个 tick</translation>
    </message>
    <message>
        <source>it ends too early (a track is cut short)</source>
        <translation>文件过早结束（有音轨被截断）</translation>
    </message>
    <message>
        <source>it ends too early (an event is cut short)</source>
        <translation>文件过早结束（有事件被截断）</translation>
    </message>
    <message>
        <source>it ends too early (a SysEx message is cut short)</source>
        <translation>文件过早结束（有 SysEx 消息被截断）</translation>
    </message>
    <message>
        <source>it holds a system message (%1) a file may not contain</source>
        <translation>它含有文件中不允许出现的系统消息（%1）</translation>
    </message>
    <message>
        <source>a data byte comes before any status byte</source>
        <translation>有数据字节出现在任何状态字节之前</translation>
    </message>
    <message>
        <source>a MIDI message holds a value above 127</source>
        <translation>有 MIDI 消息的值大于 127</translation>
    </message>
    <message>
        <source>a length or time is longer than MIDI allows</source>
        <translation>有长度或时间超出了 MIDI 允许的范围</translation>
    </message>
    <message>
        <source>MIDI file</source>
        <translation>MIDI 文件</translation>
    </message>
    <message>
        <source>MuseStudio project</source>
        <translation>MuseStudio 项目</translation>
    </message>
    <message>
        <source>style file</source>
        <translation>风格文件</translation>
    </message>
    <message>
        <source>%1 is a folder, not a %2</source>
        <translation>%1 是一个文件夹，不是%2</translation>
    </message>
    <message>
        <source>%1 is a pipe (FIFO), not a %2</source>
        <translation>%1 是一个管道（FIFO），不是%2</translation>
    </message>
    <message>
        <source>%1 is a device, not a %2</source>
        <translation>%1 是一个设备，不是%2</translation>
    </message>
    <message>
        <source>%1 is a socket, not a %2</source>
        <translation>%1 是一个套接字，不是%2</translation>
    </message>
    <message>
        <source>%1 is not a regular file, not a %2</source>
        <translation>%1 不是普通文件，不是%2</translation>
    </message>
    <message>
        <source>%1 is %2 MB, too big to be a %3</source>
        <translation>%1 有 %2 MB，太大了，不可能是%3</translation>
    </message>
    <message>
        <source>%1 is too big to be a %2</source>
        <translation>%1 太大了，不可能是%2</translation>
    </message>
    <message>
        <source>file not found: %1</source>
        <translation>找不到文件：%1</translation>
    </message>
    <message>
        <source>no permission to read %1</source>
        <translation>没有读取 %1 的权限</translation>
    </message>
    <message>
        <source>%1 is not a usable file name</source>
        <translation>%1 不是可用的文件名</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>cannot save as %1: the name holds characters that are not valid text; choose another name with Save As</source>
        <translation>无法另存为 %1：文件名含有不是有效文本的字符；请用“另存为”换一个名称</translation>
    </message>
    <message>
        <source>cannot save %1: the file is read-only</source>
        <translation>无法保存 %1：该文件是只读的</translation>
    </message>
    <message>
        <source>cannot save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>cannot save %1: %2 while it was rewritten in place (it has other names, hard links), so it may be half-written; the complete new version is kept beside it as %3</source>
        <translation>无法保存 %1：原位改写时%2（该文件还有其他名称，即硬链接），文件可能只写了一半；完整的新版本保存在它旁边，名为 %3</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>磁盘已满</translation>
    </message>
    <message>
        <source>your disk quota is used up</source>
        <translation>你的磁盘配额已用完</translation>
    </message>
    <message>
        <source>the disk is read-only</source>
        <translation>磁盘是只读的</translation>
    </message>
    <message>
        <source>you have no permission to write there</source>
        <translation>你没有在那里写入的权限</translation>
    </message>
    <message>
        <source>the name is too long for this disk</source>
        <translation>名称对这个磁盘来说太长</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <source>a part of the path is not a folder</source>
        <translation>路径中有一部分不是文件夹</translation>
    </message>
    <message>
        <source>a folder has that name</source>
        <translation>已有同名的文件夹</translation>
    </message>
    <message>
        <source>a file has that name</source>
        <translation>已有同名的文件</translation>
    </message>
    <message>
        <source>a pipe (FIFO) has that name</source>
        <translation>已有同名的管道（FIFO）</translation>
    </message>
    <message>
        <source>a device has that name</source>
        <translation>已有同名的设备</translation>
    </message>
    <message>
        <source>a socket has that name</source>
        <translation>已有同名的套接字</translation>
    </message>
    <message>
        <source>something that is not a file has that name</source>
        <translation>已有同名的非文件对象</translation>
    </message>
    <message>
        <source>the disk reported an input/output error</source>
        <translation>磁盘报告了输入/输出错误</translation>
    </message>
    <message>
        <source>the file is too large for this disk</source>
        <translation>文件太大，这个磁盘放不下</translation>
    </message>
    <message>
        <source>too many files are open at once</source>
        <translation>同时打开的文件太多</translation>
    </message>
    <message>
        <source>the system has too many files open</source>
        <translation>系统打开的文件太多</translation>
    </message>
    <message>
        <source>the path has too many symbolic links (one may point to itself)</source>
        <translation>路径中的符号链接太多（可能有链接指向它自己）</translation>
    </message>
    <message>
        <source>the file or its disk is busy</source>
        <translation>文件或它所在的磁盘正忙</translation>
    </message>
    <message>
        <source>the file is in use by a running program</source>
        <translation>文件正被一个运行中的程序使用</translation>
    </message>
    <message>
        <source>the file cannot be moved to another disk in one step</source>
        <translation>无法一步把文件移到另一个磁盘上</translation>
    </message>
    <message>
        <source>the file on the network drive is gone (stale file handle)</source>
        <translation>网络驱动器上的文件已失效（文件句柄过期）</translation>
    </message>
    <message>
        <source>you have no permission to read it</source>
        <translation>你没有读取它的权限</translation>
    </message>
    <message>
        <source>%1</source>
        <comment>the OS&apos;s own words for why it refused, where MuseStudio has none</comment>
        <translation>系统拒绝了此操作（%1）</translation>
    </message>
    <message>
        <source>%1 is not a MuseStudio project (it is not text)</source>
        <translation>%1 不是 MuseStudio 项目（它不是文本）</translation>
    </message>
    <message>
        <source>%1 is not a readable MuseStudio project (it ends too early)</source>
        <translation>%1 不是可读的 MuseStudio 项目（文件过早结束）</translation>
    </message>
    <message>
        <source>%1 is not a readable MuseStudio project (it is damaged at line %2, column %3)</source>
        <translation>%1 不是可读的 MuseStudio 项目（第 %2 行第 %3 列已损坏）</translation>
    </message>
    <message>
        <source>%1 is not a readable MuseStudio project (it is nested too deeply)</source>
        <translation>%1 不是可读的 MuseStudio 项目（嵌套层次太深）</translation>
    </message>
    <message>
        <source>%1 is not a readable MuseStudio project (it contains %2, which is not a number)</source>
        <translation>%1 不是可读的 MuseStudio 项目（它含有 %2，这不是数字）</translation>
    </message>
    <message>
        <source>%1 is not a readable MuseStudio project (%2)</source>
        <translation>%1 不是可读的 MuseStudio 项目（%2）</translation>
    </message>
    <message>
        <source>%1 is not a MuseStudio project</source>
        <translation>%1 不是 MuseStudio 项目</translation>
    </message>
    <message>
        <source>%1 has no valid format version</source>
        <translation>%1 没有有效的格式版本</translation>
    </message>
    <message>
        <source>%1 was saved by a newer MuseStudio (format %2); update MuseStudio to open it</source>
        <translation>%1 由更新版本的 MuseStudio 保存（格式 %2）；请更新 MuseStudio 后再打开</translation>
    </message>
    <message>
        <source>%1 is damaged: %2</source>
        <translation>%1 已损坏：%2</translation>
    </message>
    <message>
        <source>soundfont not found: %1</source>
        <translation>找不到音色库：%1</translation>
    </message>
    <message>
        <source>%1 is a folder, not a soundfont file</source>
        <translation>%1 是一个文件夹，不是音色库文件</translation>
    </message>
    <message>
        <source>%1 is not a regular file (a pipe or a device), so not a soundfont</source>
        <translation>%1 不是普通文件（是管道或设备），所以不是音色库</translation>
    </message>
    <message>
        <source>%1 is not a soundfont (expected a .sf2 or .sf3 file)</source>
        <translation>%1 不是音色库（应为 .sf2 或 .sf3 文件）</translation>
    </message>
    <message>
        <source>cannot read the soundfont %1: %2</source>
        <translation>无法读取音色库 %1：%2</translation>
    </message>
    <message>
        <source>FluidSynth could not load the soundfont %1</source>
        <translation>FluidSynth 无法加载音色库 %1</translation>
    </message>
    <message>
        <source>the soundfont %1 looks damaged: none of its %2 samples lies inside its sample data, so it cannot sound</source>
        <translation>音色库 %1 似乎已损坏：它的 %2 个采样没有一个位于采样数据之内，无法发声</translation>
    </message>
    <message>
        <source>the soundfont %1 could not be read (%2)</source>
        <translation>无法读取音色库 %1（%2）</translation>
    </message>
    <message>
        <source>%1; some instruments would be missing from the WAV</source>
        <translation>%1；WAV 中会缺少部分乐器</translation>
    </message>
    <message>
        <source>no General MIDI soundfont is installed: choose a .sf2 or .sf3 file under File &gt; Preferences &gt; Soundfont, or install one with &apos;%1&apos;</source>
        <translation>未安装 General MIDI 音色库：请在“文件 &gt; 首选项 &gt; 音色库”中选择一个 .sf2 或 .sf3 文件，或用 &apos;%1&apos; 安装一个</translation>
    </message>
    <message>
        <source>cannot load the FluidSynth library (%1); install FluidSynth with &apos;%2&apos;</source>
        <translation>无法加载 FluidSynth 库（%1）；请用 &apos;%2&apos; 安装 FluidSynth</translation>
    </message>
    <message>
        <source>this FluidSynth library cannot render audio; install FluidSynth with &apos;%1&apos;</source>
        <translation>此 FluidSynth 库无法渲染音频；请用 &apos;%1&apos; 安装 FluidSynth</translation>
    </message>
    <message>
        <source>Cannot load python-rtmidi (%1); install it with &apos;pip install python-rtmidi&apos; (and the ALSA library: &apos;apt-get install libasound2&apos;)</source>
        <translation>无法加载 python-rtmidi（%1）；请用 &apos;pip install python-rtmidi&apos; 安装（以及 ALSA 库：&apos;apt-get install libasound2&apos;）</translation>
    </message>
    <message>
        <source>This python-rtmidi was built without %1 support</source>
        <translation>此 python-rtmidi 编译时未包含 %1 支持</translation>
    </message>
    <message>
        <source>The ALSA sequencer is not available (%1 is missing): load it with &apos;modprobe snd-seq&apos;, or use JACK</source>
        <translation>ALSA 音序器不可用（缺少 %1）：请用 &apos;modprobe snd-seq&apos; 加载，或改用 JACK</translation>
    </message>
    <message>
        <source>No JACK server is running (server &apos;%1&apos;): start one, e.g. with qjackctl or &apos;jackd -d alsa&apos;, or use ALSA</source>
        <translation>没有正在运行的 JACK 服务器（服务器 &apos;%1&apos;）：请启动一个，例如用 qjackctl 或 &apos;jackd -d alsa&apos;，或改用 ALSA</translation>
    </message>
    <message>
        <source>The ALSA sequencer refused a connection</source>
        <translation>ALSA 音序器拒绝了连接</translation>
    </message>
    <message>
        <source>the JACK server has not answered a close for %1 s, and nothing can be opened until it does (or is restarted)</source>
        <translation>JACK 服务器已有 %1 秒没有响应关闭请求，在它响应（或重新启动）之前无法打开任何端口</translation>
    </message>
    <message>
        <source>No MIDI system found: no ALSA sequencer (%1 is missing) and no JACK server running. Start JACK (e.g. &apos;jackd -d alsa&apos; or qjackctl) or load the ALSA sequencer (&apos;modprobe snd-seq&apos;)</source>
        <translation>未找到 MIDI 系统：没有 ALSA 音序器（缺少 %1），也没有正在运行的 JACK 服务器。请启动 JACK（例如 &apos;jackd -d alsa&apos; 或 qjackctl），或加载 ALSA 音序器（&apos;modprobe snd-seq&apos;）</translation>
    </message>
    <message>
        <source>unknown MIDI backend &apos;%1&apos; (choose from %2)</source>
        <translation>未知的 MIDI 后端 &apos;%1&apos;（可选：%2）</translation>
    </message>
    <message>
        <source>no MIDI input named &apos;%1&apos; (available: %2)</source>
        <translation>没有名为 &apos;%1&apos; 的 MIDI 输入（可用的：%2）</translation>
    </message>
    <message>
        <source>no MIDI output named &apos;%1&apos; (available: %2)</source>
        <translation>没有名为 &apos;%1&apos; 的 MIDI 输出（可用的：%2）</translation>
    </message>
    <message>
        <source>cannot open the MIDI input &apos;%1&apos;: %2</source>
        <translation>无法打开 MIDI 输入 &apos;%1&apos;：%2</translation>
    </message>
    <message>
        <source>cannot open the MIDI output &apos;%1&apos;: %2</source>
        <translation>无法打开 MIDI 输出 &apos;%1&apos;：%2</translation>
    </message>
</context>
<context>
    <name>ExportWav</name>
    <message numerus="yes">
        <source>The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments using them are missing from the WAV.</source>
        <translation>
            <numerusform>音色库 %1 似乎已损坏：它的 %2 个采样中有 %n 个指向采样数据之外，用到它们的乐器在 WAV 中缺失。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 samples point outside its sample data, so they cannot sound. Choose another under File &gt; Preferences &gt; Soundfont.</source>
        <translation>
            <numerusform>未写入 %1：乐曲渲染出来是一片静音。音色库 %2 似乎已损坏：它的 %3 个采样中有 %n 个指向采样数据之外，无法发声。请在“文件 &gt; 首选项 &gt; 音色库”中选择另一个。</numerusform>
        </translation>
    </message>
    <message>
        <source>Rendering %1…</source>
        <translation>正在渲染 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export WAV</source>
        <translation>导出 WAV</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>%1 was not written: the piece renders to silence (its notes are too soft for the soundfont to sound).</source>
        <translation>未写入 %1：乐曲渲染出来是一片静音（音符太轻，音色库发不出声音）。</translation>
    </message>
</context>
<context>
    <name>FileController</name>
    <message>
        <source>File changed on disk</source>
        <translation>文件已在磁盘上被更改</translation>
    </message>
    <message>
        <source>“%1” was changed on disk since you opened or saved it (by another window or another program). Saving now would replace those changes with yours.</source>
        <translation>“%1”在你打开或保存之后已在磁盘上被更改（被另一个窗口或另一个程序）。现在保存会用你的更改替换那些更改。</translation>
    </message>
    <message>
        <source>Overwrite</source>
        <translation>覆盖</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Reload (drop my changes)</source>
        <translation>重新载入（放弃我的更改）</translation>
    </message>
    <message>
        <source>Read-only file</source>
        <translation>只读文件</translation>
    </message>
    <message>
        <source>“%1” is read-only. Replace it anyway? (It stays read-only.)</source>
        <translation>“%1”是只读的。仍然替换它吗？（它将保持只读。）</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to “%1” before closing it?</source>
        <translation>关闭前是否保存对“%1”的更改？</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Cannot open</source>
        <translation>无法打开</translation>
    </message>
    <message>
        <source>Import MIDI</source>
        <translation>导入 MIDI</translation>
    </message>
    <message>
        <source>Cannot import</source>
        <translation>无法导入</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>Save As</source>
        <translation>另存为</translation>
    </message>
    <message>
        <source>The take in the Takes panel is not kept and will be lost too: saving the piece does not keep it.</source>
        <translation>“候选”面板中的候选尚未保留，也将丢失：保存乐曲不会保留它。</translation>
    </message>
    <message numerus="yes">
        <source>The %n takes in the Takes panel are not kept and will be lost too: saving the piece does not keep them.</source>
        <translation>
            <numerusform>“候选”面板中的 %n 个候选尚未保留，也将丢失：保存乐曲不会保留它们。</numerusform>
        </translation>
    </message>
    <message>
        <source>Takes not kept</source>
        <translation>未保留的候选</translation>
    </message>
    <message>
        <source>%1 is neither a MuseStudio project (%2) nor a MIDI file</source>
        <translation>%1 既不是 MuseStudio 项目（%2），也不是 MIDI 文件</translation>
    </message>
    <message numerus="yes">
        <source>While you chose, a Generate listed %n new take(s), not kept. Discard them too?</source>
        <translation>
            <numerusform>在你选择时，一次生成列出了 %n 个新的候选，尚未保留。也要丢弃它们吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>1 take is not kept. Discard it?</source>
        <translation>有 1 个候选尚未保留。要丢弃它吗？</translation>
    </message>
    <message numerus="yes">
        <source>%n takes are not kept. Discard them?</source>
        <translation>
            <numerusform>有 %n 个候选尚未保留。要丢弃它们吗？</numerusform>
        </translation>
    </message>
    <message>
        <source>The Generate running now stops, and its takes are not listed.</source>
        <translation>正在进行的生成会停止，它的候选不会列出。</translation>
    </message>
    <message>
        <source>A Generate is still drawing takes: reopening the window stops it, and the takes it has not listed yet are lost. Discard them and reopen the window?</source>
        <translation>一次生成仍在生成候选：重新打开窗口会停止它，尚未列出的候选将丢失。舍弃这些候选并重新打开窗口吗？</translation>
    </message>
    <message>
        <source>A Generate is still drawing takes: quitting stops it, and its takes are lost. Discard them and quit?</source>
        <translation>一次生成仍在生成候选：退出会停止它，它的候选将丢失。舍弃这些候选并退出吗？</translation>
    </message>
    <message>
        <source>Generate running</source>
        <translation>生成正在进行</translation>
    </message>
    <message>
        <source>Projects and MIDI files (%1)</source>
        <translation>项目和 MIDI 文件 (%1)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 is no longer there (moved, renamed or deleted), so it is taken off Open Recent.</source>
        <translation>%1 已不在原处（被移动、改名或删除），因此已从“最近打开”中移除。</translation>
    </message>
    <message numerus="yes">
        <source>%n track(s)</source>
        <translation>
            <numerusform>%n 条音轨</numerusform>
        </translation>
    </message>
    <message>
        <source>Opened %1: %2, no notes yet.</source>
        <translation>已打开 %1：%2，还没有音符。</translation>
    </message>
    <message numerus="yes">
        <source>%n bar(s)</source>
        <translation>
            <numerusform>%n 小节</numerusform>
        </translation>
    </message>
    <message>
        <source>Opened %1: %2, %3.</source>
        <translation>已打开 %1：%2，%3。</translation>
    </message>
    <message>
        <source>%1 is an RMID file (a MIDI file in a RIFF wrapper): Export MIDI writes the MIDI file inside it, without the wrapper.</source>
        <translation>%1 是 RMID 文件（包在 RIFF 外壳里的 MIDI 文件）：“导出 MIDI”只写出其中的 MIDI 文件，不带外壳。</translation>
    </message>
    <message>
        <source>%1 is in 1/4 throughout: its bars are single beats. Edit &gt; Re-bar One-Beat Bars in 4/4 gives it the 4/4 bars it is heard in.</source>
        <translation>%1 全程为 1/4 拍：它的小节只有一拍。“编辑 &gt; 将一拍小节重划为 4/4”可给它听起来的 4/4 小节。</translation>
    </message>
    <message>
        <source>%1 ended %2 hours of silence after its last event (a damaged length): the piece ends at its last event instead.</source>
        <translation>%1 在最后一个事件之后还有 %2 小时的静音（长度已损坏）：乐曲改为在最后一个事件处结束。</translation>
    </message>
    <message>
        <source>%1 counts time in SMPTE frames (%2 a second), not in beats: it opens at %3 BPM, a beat a second, every note at its time, and is saved and exported in beats.</source>
        <translation>%1 以 SMPTE 帧（每秒 %2 帧）而非拍来计时：它以 %3 BPM（每秒一拍）打开，每个音符都在原来的时间上，保存和导出时以拍计时。</translation>
    </message>
    <message numerus="yes">
        <source>%1 ends in %n silent bar(s) after its notes, and so does the piece now: they play and export with it (the ruler marks its end; Edit &gt; Trim Silent Bars at the End takes them away).</source>
        <translation>
            <numerusform>%1 在音符之后以 %n 个空小节结尾，乐曲现在也是如此：它们随乐曲一起播放和导出（标尺上标出了结尾；“编辑 &gt; 删除末尾的空小节”可将其去掉）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>已导入 %1。</translation>
    </message>
    <message>
        <source>tempo</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>meter</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>key</source>
        <translation>调号</translation>
    </message>
    <message>
        <source>title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>, </source>
        <comment>between the names of the settings listed</comment>
        <translation>、</translation>
    </message>
    <message>
        <source>Kept this piece&apos;s %1, not the file&apos;s.</source>
        <translation>保留了本曲的%1，未采用文件中的。</translation>
    </message>
    <message>
        <source>The piece had no notes, so it takes the file&apos;s %1 in place of its own (Undo brings them back).</source>
        <translation>作品中还没有音符，因此采用了文件的%1，替换了作品自己的设置（撤销可恢复）。</translation>
    </message>
    <message>
        <source>Timing rounded to %1 ticks per beat (the file has %2).</source>
        <translation>时值已取整到每拍 %1 刻（文件为 %2 刻）。</translation>
    </message>
    <message>
        <source>MuseStudio projects (*.muse)</source>
        <translation>MuseStudio 项目 (*.muse)</translation>
    </message>
    <message>
        <source>%1.

Nothing was lost: the piece stays open as it was and its recovery copy is kept. Try Save As with another folder.</source>
        <translation>%1。

没有丢失任何内容：乐曲保持打开，恢复副本也被保留。请用“另存为”换一个文件夹试试。</translation>
    </message>
    <message>
        <source>Reload also stops the recording in progress: the notes recorded so far are dropped with your changes.</source>
        <translation>重新载入还会停止正在进行的录音：目前录下的音符会随你的更改一起被放弃。</translation>
    </message>
    <message>
        <source>Reload also stops jam mode: the phrase being played is dropped with your changes.</source>
        <translation>重新载入还会停止即兴模式：正在弹奏的乐句会随你的更改一起被放弃。</translation>
    </message>
    <message>
        <source>Export MIDI</source>
        <translation>导出 MIDI</translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>无法导出</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n note(s) sound inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file gives them each other&apos;s ends (the piece keeps them as they are).</source>
        <translation>
            <numerusform>有 %n 个音符落在同音高的更长音符之内：MIDI 无法区分这样的音符，因此文件中它们的结束位置会互换（乐曲本身保持原样）。</numerusform>
        </translation>
    </message>
    <message>
        <source>MIDI has no mute or solo: %1 play as every other track in the file.</source>
        <translation>MIDI 没有静音和独奏：在文件中，%1 会像其他音轨一样发声。</translation>
    </message>
    <message>
        <source>%1 is a drum track set to channel %2: it goes out on the drum channel (%3), the only one MIDI players play drums on.</source>
        <translation>%1 是设在通道 %2 上的鼓音轨：它改用鼓通道（%3）写出，MIDI 播放器只在这个通道上播放鼓。</translation>
    </message>
    <message>
        <source>These drum tracks go out on the drum channel (%2), the only one MIDI players play drums on, not on the channels they are set to: %1.</source>
        <translation>以下鼓音轨改用鼓通道（%2）写出，而不是它们原设的通道，因为 MIDI 播放器只在鼓通道上播放鼓：%1。</translation>
    </message>
    <message>
        <source>%1 share the drum channel (%2), and drums stay on a drum channel: in the file they play one kit at one volume.</source>
        <translation>%1 共用鼓通道（%2），鼓只能留在鼓通道上：在文件中它们用同一套鼓、同一音量演奏。</translation>
    </message>
    <message>
        <source>the piece&apos;s title and markers</source>
        <translation>乐曲的标题和标记</translation>
    </message>
    <message>
        <source>MIDI files (%1)</source>
        <translation>MIDI 文件 (%1)</translation>
    </message>
    <message>
        <source>The text of %1 goes out as UTF-8, not Latin-1 as it came: some of it has no Latin-1 form.</source>
        <translation>%1 的文字以 UTF-8 写出，而不是读入时的 Latin-1：其中有些字符没有 Latin-1 形式。</translation>
    </message>
    <message>
        <source>%1 is set to the drum channel (%3) but is not drums: it goes out on channel %2, as on channel %3 a MIDI player would play its notes as drums.</source>
        <translation>%1 被设在鼓通道（%3）上，但不是鼓：它改用通道 %2 写出，因为在通道 %3 上 MIDI 播放器会把它的音符当作鼓声来播放。</translation>
    </message>
    <message>
        <source>These are set to the drum channel (%2) but are not drums: they go out on other channels, as on channel %2 a MIDI player would play their notes as drums: %1.</source>
        <translation>以下音轨被设在鼓通道（%2）上，但不是鼓：它们改用其他通道写出，因为在通道 %2 上 MIDI 播放器会把它们的音符当作鼓声来播放：%1。</translation>
    </message>
    <message>
        <source>%1 goes out on channel %2, so it keeps its own instrument and settings.</source>
        <translation>%1 改用通道 %2 写出，以保留它自己的乐器和设置。</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 用通道 %2</translation>
    </message>
    <message>
        <source>%1 BPM at bar %2</source>
        <translation>第 %2 小节的 %1 BPM</translation>
    </message>
    <message>
        <source>MIDI holds no tempo slower than %1 BPM, so these go out at %1 BPM and the file plays faster there than the piece: %2.</source>
        <translation>MIDI 无法保存慢于 %1 BPM 的速度，因此以下速度以 %1 BPM 写出，文件在这些地方会比乐曲播放得更快：%2。</translation>
    </message>
    <message>
        <source>%1 (set to %2)</source>
        <translation>%1（原设通道 %2）</translation>
    </message>
    <message>
        <source>These go out on channels of their own, so each keeps its own instrument and settings: %1.</source>
        <translation>以下音轨各用自己的通道写出，以保留各自的乐器和设置：%1。</translation>
    </message>
    <message>
        <source>%1 share channel %2, as no channel is left free: in the file they play one instrument at one volume.</source>
        <translation>%1 共用通道 %2，因为已没有空闲通道：在文件中它们用同一件乐器、同一音量演奏。</translation>
    </message>
    <message>
        <source>Export WAV</source>
        <translation>导出 WAV</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV 音频 (*.wav)</translation>
    </message>
    <message>
        <source>Left out, as the mixer has them: %1</source>
        <translation>按调音台的设置未包含：%1</translation>
    </message>
    <message>
        <source>Every track with notes is muted or left out by a solo (%1): the WAV would be silent. Unmute or solo a track to export it.</source>
        <translation>所有含音符的音轨都已静音或因独奏而被排除（%1）：WAV 将是一片静音。请取消静音或独奏某条音轨后再导出。</translation>
    </message>
    <message>
        <source>The piece has no notes: the WAV would be silent.</source>
        <translation>乐曲中没有音符：WAV 将是一片静音。</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <source>%1 (muted)</source>
        <translation>%1（已静音）</translation>
    </message>
    <message>
        <source>%1 (not soloed)</source>
        <translation>%1（未独奏）</translation>
    </message>
</context>
<context>
    <name>GM</name>
    <message>
        <source>Piano</source>
        <translation>钢琴</translation>
    </message>
    <message>
        <source>Chromatic Percussion</source>
        <translation>色彩打击乐</translation>
    </message>
    <message>
        <source>Organ</source>
        <translation>风琴</translation>
    </message>
    <message>
        <source>Guitar</source>
        <translation>吉他</translation>
    </message>
    <message>
        <source>Bass</source>
        <translation>贝斯</translation>
    </message>
    <message>
        <source>Strings</source>
        <translation>弦乐</translation>
    </message>
    <message>
        <source>Ensemble</source>
        <translation>合奏</translation>
    </message>
    <message>
        <source>Brass</source>
        <translation>铜管</translation>
    </message>
    <message>
        <source>Reed</source>
        <translation>簧管</translation>
    </message>
    <message>
        <source>Pipe</source>
        <translation>笛类</translation>
    </message>
    <message>
        <source>Synth Lead</source>
        <translation>合成主音</translation>
    </message>
    <message>
        <source>Synth Pad</source>
        <translation>合成音垫</translation>
    </message>
    <message>
        <source>Synth Effects</source>
        <translation>合成效果</translation>
    </message>
    <message>
        <source>Ethnic</source>
        <translation>民族乐器</translation>
    </message>
    <message>
        <source>Percussive</source>
        <translation>打击乐</translation>
    </message>
    <message>
        <source>Sound Effects</source>
        <translation>音效</translation>
    </message>
    <message>
        <source>Acoustic Grand Piano</source>
        <translation>大钢琴</translation>
    </message>
    <message>
        <source>Bright Acoustic Piano</source>
        <translation>明亮钢琴</translation>
    </message>
    <message>
        <source>Electric Grand Piano</source>
        <translation>电钢琴（大）</translation>
    </message>
    <message>
        <source>Honky-tonk Piano</source>
        <translation>酒吧钢琴</translation>
    </message>
    <message>
        <source>Electric Piano 1</source>
        <translation>电钢琴 1</translation>
    </message>
    <message>
        <source>Electric Piano 2</source>
        <translation>电钢琴 2</translation>
    </message>
    <message>
        <source>Harpsichord</source>
        <translation>羽管键琴</translation>
    </message>
    <message>
        <source>Clavinet</source>
        <translation>击弦古钢琴</translation>
    </message>
    <message>
        <source>Celesta</source>
        <translation>钢片琴</translation>
    </message>
    <message>
        <source>Glockenspiel</source>
        <translation>钟琴</translation>
    </message>
    <message>
        <source>Music Box</source>
        <translation>八音盒</translation>
    </message>
    <message>
        <source>Vibraphone</source>
        <translation>颤音琴</translation>
    </message>
    <message>
        <source>Marimba</source>
        <translation>马林巴</translation>
    </message>
    <message>
        <source>Xylophone</source>
        <translation>木琴</translation>
    </message>
    <message>
        <source>Tubular Bells</source>
        <translation>管钟</translation>
    </message>
    <message>
        <source>Dulcimer</source>
        <translation>扬琴</translation>
    </message>
    <message>
        <source>Drawbar Organ</source>
        <translation>拉杆风琴</translation>
    </message>
    <message>
        <source>Percussive Organ</source>
        <translation>打击风琴</translation>
    </message>
    <message>
        <source>Rock Organ</source>
        <translation>摇滚风琴</translation>
    </message>
    <message>
        <source>Church Organ</source>
        <translation>教堂管风琴</translation>
    </message>
    <message>
        <source>Reed Organ</source>
        <translation>簧风琴</translation>
    </message>
    <message>
        <source>Accordion</source>
        <translation>手风琴</translation>
    </message>
    <message>
        <source>Harmonica</source>
        <translation>口琴</translation>
    </message>
    <message>
        <source>Tango Accordion</source>
        <translation>探戈手风琴</translation>
    </message>
    <message>
        <source>Acoustic Guitar (nylon)</source>
        <translation>尼龙弦吉他</translation>
    </message>
    <message>
        <source>Acoustic Guitar (steel)</source>
        <translation>钢弦吉他</translation>
    </message>
    <message>
        <source>Electric Guitar (jazz)</source>
        <translation>爵士电吉他</translation>
    </message>
    <message>
        <source>Electric Guitar (clean)</source>
        <translation>清音电吉他</translation>
    </message>
    <message>
        <source>Electric Guitar (muted)</source>
        <translation>闷音电吉他</translation>
    </message>
    <message>
        <source>Overdriven Guitar</source>
        <translation>过载吉他</translation>
    </message>
    <message>
        <source>Distortion Guitar</source>
        <translation>失真吉他</translation>
    </message>
    <message>
        <source>Guitar Harmonics</source>
        <translation>吉他泛音</translation>
    </message>
    <message>
        <source>Acoustic Bass</source>
        <translation>原声贝斯</translation>
    </message>
    <message>
        <source>Electric Bass (finger)</source>
        <translation>指弹电贝斯</translation>
    </message>
    <message>
        <source>Electric Bass (pick)</source>
        <translation>拨片电贝斯</translation>
    </message>
    <message>
        <source>Fretless Bass</source>
        <translation>无品贝斯</translation>
    </message>
    <message>
        <source>Slap Bass 1</source>
        <translation>击勾贝斯 1</translation>
    </message>
    <message>
        <source>Slap Bass 2</source>
        <translation>击勾贝斯 2</translation>
    </message>
    <message>
        <source>Synth Bass 1</source>
        <translation>合成贝斯 1</translation>
    </message>
    <message>
        <source>Synth Bass 2</source>
        <translation>合成贝斯 2</translation>
    </message>
    <message>
        <source>Violin</source>
        <translation>小提琴</translation>
    </message>
    <message>
        <source>Viola</source>
        <translation>中提琴</translation>
    </message>
    <message>
        <source>Cello</source>
        <translation>大提琴</translation>
    </message>
    <message>
        <source>Contrabass</source>
        <translation>低音提琴</translation>
    </message>
    <message>
        <source>Tremolo Strings</source>
        <translation>震音弦乐</translation>
    </message>
    <message>
        <source>Pizzicato Strings</source>
        <translation>拨奏弦乐</translation>
    </message>
    <message>
        <source>Orchestral Harp</source>
        <translation>竖琴</translation>
    </message>
    <message>
        <source>Timpani</source>
        <translation>定音鼓</translation>
    </message>
    <message>
        <source>String Ensemble 1</source>
        <translation>弦乐合奏 1</translation>
    </message>
    <message>
        <source>String Ensemble 2</source>
        <translation>弦乐合奏 2</translation>
    </message>
    <message>
        <source>Synth Strings 1</source>
        <translation>合成弦乐 1</translation>
    </message>
    <message>
        <source>Synth Strings 2</source>
        <translation>合成弦乐 2</translation>
    </message>
    <message>
        <source>Choir Aahs</source>
        <translation>合唱“啊”</translation>
    </message>
    <message>
        <source>Voice Oohs</source>
        <translation>人声“哦”</translation>
    </message>
    <message>
        <source>Synth Voice</source>
        <translation>合成人声</translation>
    </message>
    <message>
        <source>Orchestra Hit</source>
        <translation>管弦乐齐奏</translation>
    </message>
    <message>
        <source>Trumpet</source>
        <translation>小号</translation>
    </message>
    <message>
        <source>Trombone</source>
        <translation>长号</translation>
    </message>
    <message>
        <source>Tuba</source>
        <translation>大号</translation>
    </message>
    <message>
        <source>Muted Trumpet</source>
        <translation>弱音小号</translation>
    </message>
    <message>
        <source>French Horn</source>
        <translation>圆号</translation>
    </message>
    <message>
        <source>Brass Section</source>
        <translation>铜管组</translation>
    </message>
    <message>
        <source>Synth Brass 1</source>
        <translation>合成铜管 1</translation>
    </message>
    <message>
        <source>Synth Brass 2</source>
        <translation>合成铜管 2</translation>
    </message>
    <message>
        <source>Soprano Sax</source>
        <translation>高音萨克斯</translation>
    </message>
    <message>
        <source>Alto Sax</source>
        <translation>中音萨克斯</translation>
    </message>
    <message>
        <source>Tenor Sax</source>
        <translation>次中音萨克斯</translation>
    </message>
    <message>
        <source>Baritone Sax</source>
        <translation>上低音萨克斯</translation>
    </message>
    <message>
        <source>Oboe</source>
        <translation>双簧管</translation>
    </message>
    <message>
        <source>English Horn</source>
        <translation>英国管</translation>
    </message>
    <message>
        <source>Bassoon</source>
        <translation>大管</translation>
    </message>
    <message>
        <source>Clarinet</source>
        <translation>单簧管</translation>
    </message>
    <message>
        <source>Piccolo</source>
        <translation>短笛</translation>
    </message>
    <message>
        <source>Flute</source>
        <translation>长笛</translation>
    </message>
    <message>
        <source>Recorder</source>
        <translation>竖笛</translation>
    </message>
    <message>
        <source>Pan Flute</source>
        <translation>排箫</translation>
    </message>
    <message>
        <source>Blown Bottle</source>
        <translation>吹瓶</translation>
    </message>
    <message>
        <source>Shakuhachi</source>
        <translation>尺八</translation>
    </message>
    <message>
        <source>Whistle</source>
        <translation>口哨</translation>
    </message>
    <message>
        <source>Ocarina</source>
        <translation>陶笛</translation>
    </message>
    <message>
        <source>Lead 1 (square)</source>
        <translation>主音 1（方波）</translation>
    </message>
    <message>
        <source>Lead 2 (sawtooth)</source>
        <translation>主音 2（锯齿波）</translation>
    </message>
    <message>
        <source>Lead 3 (calliope)</source>
        <translation>主音 3（汽笛风琴）</translation>
    </message>
    <message>
        <source>Lead 4 (chiff)</source>
        <translation>主音 4（吹管）</translation>
    </message>
    <message>
        <source>Lead 5 (charang)</source>
        <translation>主音 5（吉他）</translation>
    </message>
    <message>
        <source>Lead 6 (voice)</source>
        <translation>主音 6（人声）</translation>
    </message>
    <message>
        <source>Lead 7 (fifths)</source>
        <translation>主音 7（五度）</translation>
    </message>
    <message>
        <source>Lead 8 (bass + lead)</source>
        <translation>主音 8（贝斯加主音）</translation>
    </message>
    <message>
        <source>Pad 1 (new age)</source>
        <translation>音垫 1（新世纪）</translation>
    </message>
    <message>
        <source>Pad 2 (warm)</source>
        <translation>音垫 2（温暖）</translation>
    </message>
    <message>
        <source>Pad 3 (polysynth)</source>
        <translation>音垫 3（复音合成）</translation>
    </message>
    <message>
        <source>Pad 4 (choir)</source>
        <translation>音垫 4（合唱）</translation>
    </message>
    <message>
        <source>Pad 5 (bowed)</source>
        <translation>音垫 5（弓弦）</translation>
    </message>
    <message>
        <source>Pad 6 (metallic)</source>
        <translation>音垫 6（金属）</translation>
    </message>
    <message>
        <source>Pad 7 (halo)</source>
        <translation>音垫 7（光环）</translation>
    </message>
    <message>
        <source>Pad 8 (sweep)</source>
        <translation>音垫 8（扫频）</translation>
    </message>
    <message>
        <source>FX 1 (rain)</source>
        <translation>效果 1（雨声）</translation>
    </message>
    <message>
        <source>FX 2 (soundtrack)</source>
        <translation>效果 2（音轨）</translation>
    </message>
    <message>
        <source>FX 3 (crystal)</source>
        <translation>效果 3（水晶）</translation>
    </message>
    <message>
        <source>FX 4 (atmosphere)</source>
        <translation>效果 4（大气）</translation>
    </message>
    <message>
        <source>FX 5 (brightness)</source>
        <translation>效果 5（明亮）</translation>
    </message>
    <message>
        <source>FX 6 (goblins)</source>
        <translation>效果 6（鬼怪）</translation>
    </message>
    <message>
        <source>FX 7 (echoes)</source>
        <translation>效果 7（回声）</translation>
    </message>
    <message>
        <source>FX 8 (sci-fi)</source>
        <translation>效果 8（科幻）</translation>
    </message>
    <message>
        <source>Sitar</source>
        <translation>西塔琴</translation>
    </message>
    <message>
        <source>Banjo</source>
        <translation>班卓琴</translation>
    </message>
    <message>
        <source>Shamisen</source>
        <translation>三味线</translation>
    </message>
    <message>
        <source>Koto</source>
        <translation>筝</translation>
    </message>
    <message>
        <source>Kalimba</source>
        <translation>卡林巴</translation>
    </message>
    <message>
        <source>Bagpipe</source>
        <translation>风笛</translation>
    </message>
    <message>
        <source>Fiddle</source>
        <translation>民间提琴</translation>
    </message>
    <message>
        <source>Shanai</source>
        <translation>唢呐</translation>
    </message>
    <message>
        <source>Tinkle Bell</source>
        <translation>叮当铃</translation>
    </message>
    <message>
        <source>Agogo</source>
        <translation>阿哥哥铃</translation>
    </message>
    <message>
        <source>Steel Drums</source>
        <translation>钢鼓</translation>
    </message>
    <message>
        <source>Woodblock</source>
        <translation>木鱼</translation>
    </message>
    <message>
        <source>Taiko Drum</source>
        <translation>太鼓</translation>
    </message>
    <message>
        <source>Melodic Tom</source>
        <translation>旋律嗵鼓</translation>
    </message>
    <message>
        <source>Synth Drum</source>
        <translation>合成鼓</translation>
    </message>
    <message>
        <source>Reverse Cymbal</source>
        <translation>反向镲</translation>
    </message>
    <message>
        <source>Guitar Fret Noise</source>
        <translation>吉他擦弦声</translation>
    </message>
    <message>
        <source>Breath Noise</source>
        <translation>呼吸声</translation>
    </message>
    <message>
        <source>Seashore</source>
        <translation>海浪声</translation>
    </message>
    <message>
        <source>Bird Tweet</source>
        <translation>鸟鸣</translation>
    </message>
    <message>
        <source>Telephone Ring</source>
        <translation>电话铃</translation>
    </message>
    <message>
        <source>Helicopter</source>
        <translation>直升机</translation>
    </message>
    <message>
        <source>Applause</source>
        <translation>掌声</translation>
    </message>
    <message>
        <source>Gunshot</source>
        <translation>枪声</translation>
    </message>
    <message>
        <source>Drum Kit</source>
        <translation>鼓组</translation>
    </message>
    <message>
        <source>Drums</source>
        <translation>鼓</translation>
    </message>
    <message>
        <source>Acoustic Bass Drum</source>
        <translation>原声底鼓</translation>
    </message>
    <message>
        <source>Bass Drum 1</source>
        <translation>底鼓 1</translation>
    </message>
    <message>
        <source>Side Stick</source>
        <translation>鼓边敲击</translation>
    </message>
    <message>
        <source>Acoustic Snare</source>
        <translation>原声军鼓</translation>
    </message>
    <message>
        <source>Hand Clap</source>
        <translation>拍手</translation>
    </message>
    <message>
        <source>Electric Snare</source>
        <translation>电子军鼓</translation>
    </message>
    <message>
        <source>Low Floor Tom</source>
        <translation>低音落地嗵鼓</translation>
    </message>
    <message>
        <source>Closed Hi-Hat</source>
        <translation>闭合踩镲</translation>
    </message>
    <message>
        <source>High Floor Tom</source>
        <translation>高音落地嗵鼓</translation>
    </message>
    <message>
        <source>Pedal Hi-Hat</source>
        <translation>踏板踩镲</translation>
    </message>
    <message>
        <source>Low Tom</source>
        <translation>低音嗵鼓</translation>
    </message>
    <message>
        <source>Open Hi-Hat</source>
        <translation>开放踩镲</translation>
    </message>
    <message>
        <source>Low-Mid Tom</source>
        <translation>中低音嗵鼓</translation>
    </message>
    <message>
        <source>Hi-Mid Tom</source>
        <translation>中高音嗵鼓</translation>
    </message>
    <message>
        <source>Crash Cymbal 1</source>
        <translation>强音镲 1</translation>
    </message>
    <message>
        <source>High Tom</source>
        <translation>高音嗵鼓</translation>
    </message>
    <message>
        <source>Ride Cymbal 1</source>
        <translation>节奏镲 1</translation>
    </message>
    <message>
        <source>Chinese Cymbal</source>
        <translation>中国镲</translation>
    </message>
    <message>
        <source>Ride Bell</source>
        <translation>节奏镲铃</translation>
    </message>
    <message>
        <source>Tambourine</source>
        <translation>铃鼓</translation>
    </message>
    <message>
        <source>Splash Cymbal</source>
        <translation>溅镲</translation>
    </message>
    <message>
        <source>Cowbell</source>
        <translation>牛铃</translation>
    </message>
    <message>
        <source>Crash Cymbal 2</source>
        <translation>强音镲 2</translation>
    </message>
    <message>
        <source>Vibraslap</source>
        <translation>颤击器</translation>
    </message>
    <message>
        <source>Ride Cymbal 2</source>
        <translation>节奏镲 2</translation>
    </message>
    <message>
        <source>Hi Bongo</source>
        <translation>高音邦戈鼓</translation>
    </message>
    <message>
        <source>Low Bongo</source>
        <translation>低音邦戈鼓</translation>
    </message>
    <message>
        <source>Mute Hi Conga</source>
        <translation>闷音高康加鼓</translation>
    </message>
    <message>
        <source>Open Hi Conga</source>
        <translation>开放高康加鼓</translation>
    </message>
    <message>
        <source>Low Conga</source>
        <translation>低音康加鼓</translation>
    </message>
    <message>
        <source>High Timbale</source>
        <translation>高音天巴鼓</translation>
    </message>
    <message>
        <source>Low Timbale</source>
        <translation>低音天巴鼓</translation>
    </message>
    <message>
        <source>High Agogo</source>
        <translation>高音阿哥哥铃</translation>
    </message>
    <message>
        <source>Low Agogo</source>
        <translation>低音阿哥哥铃</translation>
    </message>
    <message>
        <source>Cabasa</source>
        <translation>卡巴萨</translation>
    </message>
    <message>
        <source>Maracas</source>
        <translation>沙槌</translation>
    </message>
    <message>
        <source>Short Whistle</source>
        <translation>短哨</translation>
    </message>
    <message>
        <source>Long Whistle</source>
        <translation>长哨</translation>
    </message>
    <message>
        <source>Short Guiro</source>
        <translation>短刮瓜</translation>
    </message>
    <message>
        <source>Long Guiro</source>
        <translation>长刮瓜</translation>
    </message>
    <message>
        <source>Claves</source>
        <translation>响棒</translation>
    </message>
    <message>
        <source>Hi Wood Block</source>
        <translation>高音木鱼</translation>
    </message>
    <message>
        <source>Low Wood Block</source>
        <translation>低音木鱼</translation>
    </message>
    <message>
        <source>Mute Cuica</source>
        <translation>闷音奎卡鼓</translation>
    </message>
    <message>
        <source>Open Cuica</source>
        <translation>开放奎卡鼓</translation>
    </message>
    <message>
        <source>Mute Triangle</source>
        <translation>闷音三角铁</translation>
    </message>
    <message>
        <source>Open Triangle</source>
        <translation>开放三角铁</translation>
    </message>
    <message>
        <source>Bank select</source>
        <translation>音色库选择</translation>
    </message>
    <message>
        <source>Modulation</source>
        <translation>调制</translation>
    </message>
    <message>
        <source>Breath</source>
        <translation>呼吸控制</translation>
    </message>
    <message>
        <source>Foot controller</source>
        <translation>脚踏控制器</translation>
    </message>
    <message>
        <source>Portamento time</source>
        <translation>滑音时间</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>平衡</translation>
    </message>
    <message>
        <source>Pan</source>
        <translation>声像</translation>
    </message>
    <message>
        <source>Expression</source>
        <translation>表情</translation>
    </message>
    <message>
        <source>Bank select (fine)</source>
        <translation>音色库选择（精细）</translation>
    </message>
    <message>
        <source>Sustain pedal</source>
        <translation>延音踏板</translation>
    </message>
    <message>
        <source>Portamento</source>
        <translation>滑音</translation>
    </message>
    <message>
        <source>Sostenuto</source>
        <translation>持音踏板</translation>
    </message>
    <message>
        <source>Soft pedal</source>
        <translation>弱音踏板</translation>
    </message>
    <message>
        <source>Resonance</source>
        <translation>谐振</translation>
    </message>
    <message>
        <source>Release time</source>
        <translation>释音时间</translation>
    </message>
    <message>
        <source>Attack time</source>
        <translation>起音时间</translation>
    </message>
    <message>
        <source>Brightness</source>
        <translation>明亮度</translation>
    </message>
    <message>
        <source>Reverb</source>
        <translation>混响</translation>
    </message>
    <message>
        <source>Chorus</source>
        <translation>合唱</translation>
    </message>
</context>
<context>
    <name>GenerateController</name>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>候选</translation>
    </message>
    <message>
        <source>&amp;Keep Take</source>
        <translation>保留候选(&amp;K)</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>in the Takes list</source>
        <translation>在候选列表中</translation>
    </message>
    <message>
        <source>Keep Take as New &amp;Track</source>
        <translation>将候选保留为新音轨(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Discard Take</source>
        <translation>丢弃候选(&amp;D)</translation>
    </message>
    <message>
        <source>Discard &amp;All Takes</source>
        <translation>丢弃全部候选(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Learn a Style...</source>
        <translation>学习风格(&amp;L)...</translation>
    </message>
    <message>
        <source>Audition Take %1</source>
        <translation>试听候选 %1</translation>
    </message>
    <message>
        <source>&amp;Mode</source>
        <translation>模式(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>续写(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Restyle</source>
        <translation>风格转换(&amp;R)</translation>
    </message>
    <message>
        <source>Regenerate &amp;Selection</source>
        <translation>重新生成所选(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Add a Part</source>
        <translation>添加声部(&amp;A)</translation>
    </message>
    <message>
        <source>A&amp;udition Take</source>
        <translation>试听候选(&amp;U)</translation>
    </message>
    <message>
        <source>Jam mode plays take %1</source>
        <translation>即兴模式正在播放候选 %1</translation>
    </message>
    <message>
        <source>The piece has no notes yet, so the %1 engine writes the first bars (the Parts engine continues the notes a piece has: Generate again once there are some).</source>
        <translation>乐曲还没有音符，因此由 %1 引擎写出开头几小节（Parts 引擎续写已有的音符：有了音符后再生成即可）。</translation>
    </message>
    <message>
        <source>Continue writes nothing in %1: the Parts engine reads at most %2 tracks, and the tracks with notes come first.</source>
        <translation>续写不会写入 %1：多声部引擎最多读取 %2 条音轨，有音符的音轨优先。</translation>
    </message>
    <message>
        <source>The notes these takes follow on from changed while they were drawn: they continue the notes the piece had when you clicked Generate. Generate again for takes that follow on from it now.</source>
        <translation>生成这些候选时，它们所接续的音符改变了：它们接续的是你点击“生成”时乐曲中的音符。请再次生成，以得到接续现在乐曲的候选。</translation>
    </message>
    <message numerus="yes">
        <source>Keep puts the tune back into %1 without the %n note(s) under it, and with %2 cut where it enters: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</source>
        <translation>
            <numerusform>保留会把曲调放回 %1，但不含其下方的 %n 个音符，另有 %2 会在高音进入处截断：由新声部取而代之（撤销可恢复；“保留为新音轨”则不改动 %1）。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n note(s) held under a higher one</source>
        <translation>
            <numerusform>%n 个被更高音符盖住的延长音</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>: %n note(s) under the tune gave way to the new parts and %1 (Undo brings them back)</source>
        <translation>
            <numerusform>：曲调下方的 %n 个音符让位给了新声部，另有 %1（撤销可恢复）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n held note(s) were cut short</source>
        <translation>
            <numerusform>%n 个延长音被截短</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep puts the tune back into %1 with %2 cut where it enters (Undo brings back what it cuts; Keep as New Track leaves %1 as it is).</source>
        <translation>保留会把曲调放回 %1，其中 %2 会在高音进入处截断（撤销可恢复被截断的音符；“保留为新音轨”则不改动 %1）。</translation>
    </message>
    <message>
        <source>: %1 where the tune enters (Undo brings back what was cut)</source>
        <translation>：在曲调进入处有 %1（撤销可恢复被截断的音符）</translation>
    </message>
    <message>
        <source>Keep mutes %1, whose place the arranged parts take (an audition plays the take that way; Undo or the track list&apos;s M unmutes).</source>
        <translation>保留会将 %1 静音，由编配的声部取而代之（试听也这样播放；撤销或音轨列表中的 M 可取消静音）。</translation>
    </message>
    <message>
        <source>Left playing along with the arranged parts, as their notes go on outside its bars: %1 (the track list&apos;s M mutes a track).</source>
        <translation>以下音轨的音符延续到编配小节之外，因此仍与编配的声部一起播放：%1（音轨列表中的 M 可将音轨静音）。</translation>
    </message>
    <message>
        <source>Keep unmutes %1: the take goes into its bars.</source>
        <translation>保留会取消 %1 的静音：候选放入其中的这些小节。</translation>
    </message>
    <message>
        <source>Keep unmutes %1: the tune goes back into it.</source>
        <translation>保留会取消 %1 的静音：曲调放回其中。</translation>
    </message>
    <message>
        <source>Keep unmutes %1: this take&apos;s new part goes there.</source>
        <translation>保留会取消 %1 的静音：此候选的新声部放进其中。</translation>
    </message>
    <message>
        <source>Keep unmutes %1: this take&apos;s new parts go there.</source>
        <translation>保留会取消 %1 的静音：此候选的新声部放进其中。</translation>
    </message>
    <message>
        <source>Keep and Keep as New Track mute %1, where another take of this Generate was kept as a new track: this take plays in its place (Undo or the track list&apos;s M unmutes).</source>
        <translation>“保留”和“保留为新音轨”都会将 %1 静音，它是这次生成的另一个候选保留成的新音轨：此候选在它的位置播放（撤销或音轨列表中的 M 可取消静音）。</translation>
    </message>
    <message>
        <source>Keep as New Track mutes %1, as the take plays from tracks of its own.</source>
        <translation>“保留为新音轨”会将 %1 静音，因为候选从它自己的音轨播放。</translation>
    </message>
    <message>
        <source>Keep as New Track mutes %1, whose notes the take rewrites: it plays in their place.</source>
        <translation>“保留为新音轨”会将 %1 静音，因为候选改写了它的音符：候选在它们的位置播放。</translation>
    </message>
    <message>
        <source>Keep as New Track leaves %1 playing, as the take rewrites only some of its notes: there both play (the track list&apos;s M mutes a track).</source>
        <translation>“保留为新音轨”不会将 %1 静音，因为候选只改写了它的部分音符：在那里两者会一起播放（音轨列表中的 M 可将音轨静音）。</translation>
    </message>
    <message>
        <source>, and muted %1 (Undo unmutes)</source>
        <translation>，并已将 %1 静音（撤销可取消静音）</translation>
    </message>
    <message>
        <source>Keep as New Track leaves %1 playing, with the phrase this take continues: in %2 this take plays over take %3, kept there before (the track list&apos;s M mutes a track).</source>
        <translation>“保留为新音轨”不会将 %1 静音，它含有此候选所接续的乐句：在%2中，此候选会叠在之前保留在那里的候选 %3 上一起播放（音轨列表中的 M 可将音轨静音）。</translation>
    </message>
    <message>
        <source>: it plays over take %1, kept in %2 before it</source>
        <translation>：它叠在之前保留在 %2 中的候选 %1 上一起播放</translation>
    </message>
    <message>
        <source>Keep as New Track mutes %1, where take %2 was kept: only this take plays (Undo unmutes).</source>
        <translation>“保留为新音轨”会将保留了候选 %2 的 %1 静音：只播放此候选（撤销可取消静音）。</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) in %1 s on %2</source>
        <translation>
            <numerusform>%n 个候选，用时 %1 秒（%2）</numerusform>
        </translation>
    </message>
    <message>
        <source>The meter changed while these takes were drawn: they follow the bars the piece had when you clicked Generate, not its bars now. Generate again for takes in the new meter.</source>
        <translation>生成这些候选时拍号改变了：它们按照你点击“生成”时乐曲的小节，而不是现在的小节。请再次生成，以得到新拍号下的候选。</translation>
    </message>
    <message numerus="yes">
        <source>Your taste has learnt from %n take(s) you kept or discarded. Forget it? The critic alone ranks the takes from then on, and this cannot be undone.</source>
        <translation>
            <numerusform>你的偏好是从你保留或丢弃的 %n 个候选中学到的。要忘记它吗？此后候选只由评判模型排序，且此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Keep puts the tune back into %1 without the %n note(s) under it: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</source>
        <translation>
            <numerusform>保留会把曲调放回 %1，但不含其下方的 %n 个音符：由新声部取而代之（撤销可恢复；“保留为新音轨”则不改动 %1）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep as New Track leaves %1 playing, as its notes go on outside the take&apos;s bars: in those bars it plays along with the take (the track list&apos;s M mutes a track).</source>
        <translation>“保留为新音轨”不会将 %1 静音，因为其音符延续到候选的小节之外：在这些小节里，它会与候选一起播放（音轨列表中的 M 可将音轨静音）。</translation>
    </message>
    <message>
        <source>Keep as New Track mutes %1, every note of which is in the bars the take regenerates: it plays in their place.</source>
        <translation>“保留为新音轨”会将 %1 静音，因为它的音符全都在候选重新生成的小节里：候选在它们的位置播放。</translation>
    </message>
    <message>
        <source>Keep as New Track leaves %1 playing, as its notes go on outside the bars the take regenerates: in those bars both play (the track list&apos;s M mutes a track).</source>
        <translation>“保留为新音轨”不会将 %1 静音，因为其音符延续到候选重新生成的小节之外：在这些小节里两者会一起播放（音轨列表中的 M 可将音轨静音）。</translation>
    </message>
    <message>
        <source>, and unmuted %1, which holds the kept take</source>
        <translation>，并已取消 %1 的静音，保留的候选已放入其中</translation>
    </message>
    <message numerus="yes">
        <source>Already in %1 of %2: %n note(s). Keep puts the take in their place (Undo brings them back); Keep as New Track leaves them as they are and plays the take over them from a track of its own.</source>
        <translation>
            <numerusform>%2 的%1已有 %n 个音符。“保留”会用这个候选取代它们（撤销可恢复）；“保留为新音轨”则不改动它们，把候选放进单独的音轨，与它们同时播放。</numerusform>
        </translation>
    </message>
    <message>
        <source>Keep puts this take in place of take %1, kept before it (Undo brings that back).</source>
        <translation>“保留”会用此候选取代之前保留的候选 %1（撤销可恢复）。</translation>
    </message>
    <message>
        <source>Keep puts this take in place of takes %1, kept before it (Undo brings them back).</source>
        <translation>“保留”会用此候选取代之前保留的候选 %1（撤销可恢复）。</translation>
    </message>
    <message>
        <source>bar %1</source>
        <translation>第 %1 小节</translation>
    </message>
    <message>
        <source>bars %1–%2</source>
        <translation>第 %1–%2 小节</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) came back empty (or opened on an empty bar) even when drawn again and are not listed: try another style, engine or temperature.</source>
        <translation>
            <numerusform>有 %n 个候选重新抽取后仍为空（或以空小节开头），未列出：请换一种风格、引擎或温度。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) repeated another take even when drawn again and are not listed.</source>
        <translation>
            <numerusform>有 %n 个候选重新抽取后仍与其他候选相同，未列出。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) came back empty or repeated another and were drawn again.</source>
        <translation>
            <numerusform>有 %n 个候选为空或与其他候选相同，已重新抽取。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) listed of the %3 drawn in %1 s on %2</source>
        <translation>
            <numerusform>共生成 %3 个候选，仍列出 %n 个，用时 %1 秒（%2）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n take(s) listed before this Generate are listed again.</source>
        <translation>
            <numerusform>这次生成之前列出的 %n 个候选重新列出。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n take(s) it drew before the cancel are no longer listed.</source>
        <translation>
            <numerusform>取消前它生成的 %n 个候选不再列出。</numerusform>
        </translation>
    </message>
    <message>
        <source>The takes in the recovery copy could not be read; the piece is restored</source>
        <translation>无法读取恢复副本中的候选；乐曲已恢复</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) not kept when MuseStudio stopped are listed again</source>
        <translation>
            <numerusform>MuseStudio 停止时未保留的 %n 个候选已重新列出</numerusform>
        </translation>
    </message>
    <message>
        <source>: in place of take %1, kept before it (Undo brings it back)</source>
        <translation>：取代了之前保留的候选 %1（撤销可恢复）</translation>
    </message>
    <message>
        <source>: in place of takes %1, kept before it (Undo brings them back)</source>
        <translation>：取代了之前保留的候选 %1（撤销可恢复）</translation>
    </message>
    <message>
        <source>Take %1 adds nothing to the score: nothing to keep</source>
        <translation>候选 %1 没有给乐谱增加任何内容：无需保留</translation>
    </message>
    <message numerus="yes">
        <source>: %n note(s) under the tune gave way to the new parts (Undo brings them back)</source>
        <translation>
            <numerusform>：曲调下方的 %n 个音符让位给了新声部（撤销可恢复）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>: it plays over the %n note(s) already in %1</source>
        <translation>
            <numerusform>：它与%1中已有的 %n 个音符同时播放</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>: the %n note(s) already in %1 gave way to it (Undo brings them back)</source>
        <translation>
            <numerusform>：%1中已有的 %n 个音符已由它取代（撤销可恢复）</numerusform>
        </translation>
    </message>
    <message>
        <source>Recording: stop it to audition a take</source>
        <translation>正在录音：停止录音后才能试听候选</translation>
    </message>
    <message>
        <source>Jam mode plays its answer: stop it to audition a take</source>
        <translation>即兴模式正在播放应答：停止后才能试听候选</translation>
    </message>
    <message>
        <source>The Generate that was running stopped: its takes were for the piece before.</source>
        <translation>正在进行的生成已停止：它的候选属于之前的乐曲。</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>旋律</translation>
    </message>
    <message>
        <source>Harmony</source>
        <translation>和声</translation>
    </message>
    <message>
        <source>Bass</source>
        <translation>低音</translation>
    </message>
    <message>
        <source>Accompaniment</source>
        <translation>伴奏</translation>
    </message>
    <message>
        <source>Counter-melody</source>
        <translation>副旋律</translation>
    </message>
    <message>
        <source>No engine is installed for this mode.</source>
        <translation>此模式没有安装可用的引擎。</translation>
    </message>
    <message>
        <source>A learned style works with the Transformer and Parts engines.</source>
        <translation>学习到的风格可用于 Transformer 和多声部引擎。</translation>
    </message>
    <message>
        <source>This engine was not trained on %1. Choose one of: %2.</source>
        <translation>此引擎没有用 %1 训练过。请从以下选择：%2。</translation>
    </message>
    <message>
        <source>The models write pitched parts: choose a track that is not drums.</source>
        <translation>模型只生成有音高的声部：请选择非鼓组的音轨。</translation>
    </message>
    <message>
        <source>The piece has no notes yet, and the Parts engine continues the notes a piece has: draw a few notes, or choose the Transformer engine, which writes the first bars from nothing.</source>
        <translation>乐曲还没有音符，而 Parts 引擎只能续写已有的音符：请先画几个音符，或选择 Transformer 引擎，它能从零写出开头几小节。</translation>
    </message>
    <message>
        <source>Nothing selected: select the notes to restyle, or restyle the whole track.</source>
        <translation>没有选中内容：请选择要转换风格的音符，或转换整条音轨。</translation>
    </message>
    <message>
        <source>The active track has no notes to restyle.</source>
        <translation>当前音轨没有可转换风格的音符。</translation>
    </message>
    <message>
        <source>Nothing selected: select notes in the bars to regenerate.</source>
        <translation>没有选中内容：请在要重新生成的小节中选择音符。</translation>
    </message>
    <message>
        <source>The Parts engine needs some notes in a pitched track to work with: draw a few, or choose Continue, which writes the first bars of an empty piece.</source>
        <translation>Parts 引擎需要有音高的音轨中有一些音符才能工作：请先画几个音符，或选择“续写”，它能为空乐曲写出开头几小节。</translation>
    </message>
    <message>
        <source>The active track has no notes to continue: draw a few first.</source>
        <translation>当前音轨没有可续写的音符：请先画几个音符。</translation>
    </message>
    <message>
        <source>This piece already has %1 pitched tracks, the most the Parts engine reads with a new part among them: to add a part, delete a track or move its notes into another. Drum tracks and empty tracks do not count.</source>
        <translation>这首乐曲已有 %1 条有音高的音轨，加上新声部已是多声部引擎能读取的上限：若要添加声部，请删除一条音轨，或把它的音符移到另一条音轨中。鼓音轨和空音轨不计在内。</translation>
    </message>
    <message>
        <source>This piece has %1 pitched tracks and the Parts engine reads at most %2: choose the Transformer engine, which reads and writes the active track alone. Drum tracks and empty tracks do not count.</source>
        <translation>这首乐曲有 %1 条有音高的音轨，而多声部引擎最多读取 %2 条：请选择 Transformer 引擎，它只读写当前音轨。鼓音轨和空音轨不计在内。</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>&amp;Cancel Generation</source>
        <translation>取消生成(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>正在生成…</translation>
    </message>
    <message>
        <source>Scoring takes…</source>
        <translation>正在为候选评分…</translation>
    </message>
    <message>
        <source>Take 1 in %1 s; drawing %2 more…</source>
        <translation>候选 1 用时 %1 秒；正在生成其余 %2 个…</translation>
    </message>
    <message numerus="yes">
        <source>They replace the %n take(s) of the last Generate that were not kept.</source>
        <translation>
            <numerusform>它们替换了上一次生成中未保留的 %n 个候选。</numerusform>
        </translation>
    </message>
    <message>
        <source>its track</source>
        <translation>其音轨</translation>
    </message>
    <message numerus="yes">
        <source>Cancelled; the %n take(s) kept before the cancel stay in the score (Undo takes them out and lists them again).</source>
        <translation>
            <numerusform>已取消；取消前保留的 %n 个候选仍在乐谱中（撤销可将其移除并重新列出）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled; the score is unchanged.</source>
        <translation>已取消；乐谱没有改变。</translation>
    </message>
    <message>
        <source>Generation cancelled</source>
        <translation>生成已取消</translation>
    </message>
    <message>
        <source>Take %1 (%2)</source>
        <translation>候选 %1（%2）</translation>
    </message>
    <message>
        <source>Keep take %1 as new track</source>
        <translation>将候选 %1 保留为新音轨</translation>
    </message>
    <message>
        <source>Keep take %1</source>
        <translation>保留候选 %1</translation>
    </message>
    <message>
        <source>Kept take %1</source>
        <translation>已保留候选 %1</translation>
    </message>
    <message>
        <source>Its track is gone: kept take %1 in a new track</source>
        <translation>其音轨已不在：候选 %1 已保留为新音轨</translation>
    </message>
    <message>
        <source>The piece has no key signature: keeping this take sets it to %1, the key the part was written in.</source>
        <translation>乐曲没有调号：保留此候选会将调号设为 %1，即这个声部写成的调。</translation>
    </message>
    <message>
        <source>, and set the key signature to %1, the key the part was written in</source>
        <translation>，并已将调号设为 %1，即这个声部写成的调</translation>
    </message>
    <message>
        <source>Keep undone: take %1 is listed again</source>
        <translation>已撤销保留：候选 %1 重新列出</translation>
    </message>
    <message>
        <source>Kept take %1 again</source>
        <translation>已再次保留候选 %1</translation>
    </message>
    <message>
        <source>Take %1</source>
        <translation>候选 %1</translation>
    </message>
    <message>
        <source>Your taste is forgotten: takes are ranked by the critic.</source>
        <translation>已忘记你的偏好：候选将按评判模型排序。</translation>
    </message>
    <message>
        <source>Cannot audition: %1</source>
        <translation>无法试听：%1</translation>
    </message>
    <message>
        <source>Listening to the seed…</source>
        <translation>正在分析种子…</translation>
    </message>
</context>
<context>
    <name>GenerateErrorWords</name>
    <message>
        <source>the models cannot read %1/%2 bars (they read 1/1-4/1, 1/2-8/2, and up to 16 beats of quarters, eighths or sixteenths): change the meter of those bars and try again</source>
        <translation>模型无法读取 %1/%2 拍的小节（它们能读 1/1–4/1、1/2–8/2，以及以四分、八分或十六分音符为一拍、最多 16 拍的拍号）：请更改这些小节的拍号后再试</translation>
    </message>
    <message>
        <source>the models cannot read %1 bars: a bar line falls between the sixteenths they read; change the meter of those bars and try again</source>
        <translation>模型无法读取 %1 拍的小节：有小节线落在它们所读的十六分音符之间；请更改这些小节的拍号后再试</translation>
    </message>
    <message>
        <source>the models cannot read bars: a bar line falls between the sixteenths they read; change the meter of those bars and try again</source>
        <translation>模型无法读取这些小节：有小节线落在它们所读的十六分音符之间；请更改这些小节的拍号后再试</translation>
    </message>
    <message>
        <source>bars must be 1..%1, got %2</source>
        <translation>小节数须在 1 到 %1 之间，这里是 %2</translation>
    </message>
    <message>
        <source>unknown style &apos;%1&apos;; choose one of %2</source>
        <translation>未知的风格“%1”；请从以下风格中选择：%2</translation>
    </message>
    <message>
        <source>unknown style &apos;%1&apos; (known: %2)</source>
        <translation>未知的风格“%1”（已知的风格：%2）</translation>
    </message>
    <message>
        <source>the %1 model was not trained on the %2 style (%3)</source>
        <translation>%1 模型没有用 %2 风格训练过（它训练过的风格：%3）</translation>
    </message>
    <message>
        <source>key lock needs a key: pick one, or give a seed to detect it from</source>
        <translation>锁定调性需要一个调：请选择一个调，或给出可以从中识别调性的种子音符</translation>
    </message>
    <message>
        <source>key lock needs a key: pick one, or leave some notes around the range</source>
        <translation>锁定调性需要一个调：请选择一个调，或在要重新生成的范围周围留一些音符</translation>
    </message>
    <message>
        <source>key lock needs a key: pick one, or give notes to detect it from</source>
        <translation>锁定调性需要一个调：请选择一个调，或给出可以从中识别调性的音符</translation>
    </message>
    <message>
        <source>The generation process has ended; Generate again to run it in the app itself.</source>
        <translation>生成进程已结束；再按一次“生成”，将在应用程序内运行。</translation>
    </message>
    <message>
        <source>no pitch in %1..%2 is in %3; widen the range or turn key lock off</source>
        <translation>音高 %1..%2 中没有属于 %3 的音：请放宽音域，或取消调性锁定</translation>
    </message>
    <message>
        <source>The model file %1 is missing. Install or train it (see models/README.md) to use this engine.</source>
        <translation>缺少模型文件 %1。请安装或训练它（见 models/README.md）后再使用这个引擎。</translation>
    </message>
    <message>
        <source>model file %1 is missing</source>
        <translation>缺少模型文件 %1</translation>
    </message>
    <message>
        <source>model file %1 is not a regular file</source>
        <translation>模型文件 %1 不是普通文件</translation>
    </message>
    <message>
        <source>model file %1 is too large to be a model&apos;s settings file</source>
        <translation>模型文件 %1 太大，不可能是模型的设置文件</translation>
    </message>
    <message>
        <source>model file %1 cannot be read: %2</source>
        <translation>无法读取模型文件 %1：%2</translation>
    </message>
    <message>
        <source>model file %1 cannot be read: it is damaged (not valid JSON at line %2)</source>
        <translation>无法读取模型文件 %1：它已损坏（第 %2 行不是有效的 JSON）</translation>
    </message>
    <message>
        <source>model file %1 cannot be read: it is damaged (not text)</source>
        <translation>无法读取模型文件 %1：它已损坏（不是文本）</translation>
    </message>
    <message>
        <source>%1 is not a MuseStudio model file</source>
        <translation>%1 不是 MuseStudio 模型文件</translation>
    </message>
    <message>
        <source>%1 has format version %2, expected %3</source>
        <translation>%1 的格式版本是 %2，本版本需要 %3</translation>
    </message>
    <message>
        <source>model file %1 is damaged: %2</source>
        <translation>模型文件 %1 已损坏：%2</translation>
    </message>
    <message>
        <source>%1</source>
        <comment>safetensors&apos; words for a weights file it cannot load</comment>
        <translation>无法载入其中的权重</translation>
    </message>
    <message>
        <source>model file %1 does not match its settings: %2</source>
        <translation>模型文件 %1 与它的设置不符：%2</translation>
    </message>
    <message>
        <source>model file %1 does not fit this version&apos;s %2: %3</source>
        <translation>模型文件 %1 不适用于本版本的%2：%3</translation>
    </message>
    <message>
        <source>model file %1 holds %2, not the %3 expected here</source>
        <translation>模型文件 %1 中是%2，而不是这里需要的%3</translation>
    </message>
    <message>
        <source>model file %1 holds %2; known kinds: %3</source>
        <translation>模型文件 %1 中是%2；已知的种类：%3</translation>
    </message>
    <message>
        <source>model file %1 describes a model of %2 million weights, more than this version loads (%3 million)</source>
        <translation>模型文件 %1 描述的模型有 %2 百万个权重，超过了本版本能加载的上限（%3 百万个）</translation>
    </message>
    <message>
        <source>%1 does not fit this version&apos;s %2 model: %3</source>
        <translation>%1 不适用于本版本的 %2 模型：%3</translation>
    </message>
    <message>
        <source>%1 does not match its config: %2</source>
        <translation>%1 与它的设置不符：%2</translation>
    </message>
    <message>
        <source>model file %1 holds a model with another vocabulary, not the one expected here (%2)</source>
        <translation>模型文件 %1 中的模型用的是另一套词表，不是这里需要的（%2）</translation>
    </message>
    <message>
        <source>%1; takes are ranked without it</source>
        <translation>%1；排列候选时不使用它</translation>
    </message>
    <message>
        <source>%1; taste goes by the takes&apos; statistics alone</source>
        <translation>%1；偏好只按候选的统计特征判断</translation>
    </message>
</context>
<context>
    <name>GeneratePanel</name>
    <message>
        <source>Continue</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Restyle</source>
        <translation>风格转换</translation>
    </message>
    <message>
        <source>Regenerate selection</source>
        <translation>重新生成所选</translation>
    </message>
    <message>
        <source>Add a part</source>
        <translation>添加声部</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>From</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>Arrange</source>
        <translation>编配</translation>
    </message>
    <message>
        <source>Arrange: keep the tune</source>
        <translation>编配：保留曲调</translation>
    </message>
    <message>
        <source>Rewrite</source>
        <translation>改写</translation>
    </message>
    <message>
        <source>Rewrite: change the tune too</source>
        <translation>改写：曲调也会改变</translation>
    </message>
    <message>
        <source>Arrange keeps your tune and writes the style&apos;s parts under it in new tracks (a chorale&apos;s alto, tenor and bass; pop piano and bass). Rewrite writes the whole phrase anew in the style.</source>
        <translation>编配保留您的曲调，并在新音轨中为其写出该风格的声部（众赞歌的中音、次中音和低音；流行乐的钢琴和贝斯）。改写则按该风格重新写出整个乐句。</translation>
    </message>
    <message>
        <source>As</source>
        <translation>方式</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Suggest</source>
        <translation>建议</translation>
    </message>
    <message>
        <source>Pick the style that fits this seed and the takes you keep</source>
        <translation>选择适合这段种子和你保留的候选的风格</translation>
    </message>
    <message>
        <source>Learn...</source>
        <translation>学习...</translation>
    </message>
    <message>
        <source>Learn a style from your own MIDI files</source>
        <translation>从你自己的 MIDI 文件学习一种风格</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Bars</source>
        <translation>小节数</translation>
    </message>
    <message>
        <source>This piece&apos;s bars are single beats (1/4 throughout), so bars here count beats and the models hear the piece a beat a bar.</source>
        <translation>本曲的小节只有一拍（全程 1/4 拍），所以这里的小节数按拍计算，模型也会一拍一小节地听它。</translation>
    </message>
    <message>
        <source>4/4 bars from the piece&apos;s downbeat; every note stays where it is, and Undo takes it back</source>
        <translation>从本曲的强拍起划分 4/4 小节；每个音符都留在原处，撤销即可恢复</translation>
    </message>
    <message>
        <source>Arrange: how far your tune may move: 0 keeps its notes exactly; higher adds the style&apos;s ornaments and rhythm, from 0.5 its register. Every note of the tune stays, but a slower style (a chorale, Palestrina, a German song, a jazz head) folds up to 14% of a busy tune&apos;s quick notes into the note before. Above 0.5 the tune carries more ornaments than the style&apos;s own tunes usually do. Rewrite: how much the new style may rewrite. Seq2Seq: up to 0.25 the texture and dynamics around your melody, up to 0.5 its rhythm too, up to 0.75 its register too; above that only each bar&apos;s harmony is kept. GAN: how sure the model must be to add or remove a note.</source>
        <translation>编配：您的曲调可以改变多少：0 完全保留其音符；更高时加入该风格的装饰音和节奏，从 0.5 起还会调整音区。曲调的每个音符都保留，但较慢的风格（众赞歌、帕莱斯特里那、德国民歌、爵士主题）会把繁密曲调中最多 14% 的快速音符并入前一个音符。高于 0.5 时，曲调上的装饰音会多于该风格自身的曲调通常所有的。改写：新风格可以改写多少。Seq2Seq：不超过 0.25 时改变旋律周围的织体和力度，不超过 0.5 时也改变节奏，不超过 0.75 时也改变音区；更高时只保留每小节的和声。GAN：模型需要多大把握才添加或删除一个音符。</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>强度</translation>
    </message>
    <message>
        <source>Lower: safer, more predictable. Higher: more surprising.</source>
        <translation>较低：更稳妥、更可预期。较高：更出人意料。</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Draw only from the likeliest notes that make up this share of chance</source>
        <translation>只从累计概率达到此比例的最可能音符中抽取</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>The key detected in the whole piece: every pitched track&apos;s notes together</source>
        <translation>从整首乐曲检测调性：所有有音高音轨的音符合在一起</translation>
    </message>
    <message>
        <source>The key detected in the selected notes (default: the whole piece&apos;s)</source>
        <translation>从所选音符检测调性（默认：整首乐曲的调性）</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>候选数</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>检测到</translation>
    </message>
    <message>
        <source>From the selection</source>
        <translation>从所选检测</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Only notes of this key</source>
        <translation>只用此调的音</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调性</translation>
    </message>
    <message>
        <source>Note range</source>
        <translation>音域</translation>
    </message>
    <message>
        <source>Roll a new random seed</source>
        <translation>换一个随机种子</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算设备</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation>所有音轨</translation>
    </message>
    <message>
        <source>The active track</source>
        <translation>当前音轨</translation>
    </message>
    <message>
        <source>Continue every track, each in itself, or only the active one</source>
        <translation>续写每条音轨（各自在本音轨中），或只续写当前音轨</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>音轨</translation>
    </message>
    <message>
        <source>Part</source>
        <translation>声部</translation>
    </message>
    <message>
        <source>Instrument</source>
        <translation>乐器</translation>
    </message>
    <message>
        <source>As the seed</source>
        <translation>与种子相同</translation>
    </message>
    <message>
        <source>Notes per bar in each written part</source>
        <translation>每个生成声部每小节的音符数</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>密度</translation>
    </message>
    <message>
        <source>Notes at once in each written part: 1 is a single line</source>
        <translation>每个生成声部同时发声的音符数：1 为单线条</translation>
    </message>
    <message>
        <source>Voices</source>
        <translation>声部数</translation>
    </message>
    <message>
        <source>%1 (learned)</source>
        <translation>%1（学习所得）</translation>
    </message>
    <message>
        <source>%1 is no longer a learned style: %2, the style it was learned from, is chosen instead.</source>
        <translation>%1 已不再是学到的风格：已改选它所学自的风格 %2。</translation>
    </message>
    <message>
        <source>After the seed</source>
        <translation>种子之后</translation>
    </message>
    <message>
        <source>After the playhead</source>
        <translation>播放头之后</translation>
    </message>
    <message>
        <source>The selection</source>
        <translation>所选内容</translation>
    </message>
    <message>
        <source>The whole track</source>
        <translation>整条音轨</translation>
    </message>
    <message>
        <source>The selected bars</source>
        <translation>所选小节</translation>
    </message>
    <message>
        <source>The whole piece</source>
        <translation>整首曲子</translation>
    </message>
    <message>
        <source>Transformer</source>
        <translation>Transformer</translation>
    </message>
    <message>
        <source>Seq2Seq</source>
        <translation>Seq2Seq</translation>
    </message>
    <message>
        <source>Markov</source>
        <translation>马尔可夫</translation>
    </message>
    <message>
        <source>GAN</source>
        <translation>GAN</translation>
    </message>
    <message>
        <source>Parts</source>
        <translation>多声部</translation>
    </message>
    <message>
        <source>%1 — model missing</source>
        <translation>%1 — 缺少模型</translation>
    </message>
    <message>
        <source>Transformer: a model with relative attention</source>
        <translation>Transformer：使用相对注意力的模型</translation>
    </message>
    <message>
        <source>Seq2Seq: a sequence-to-sequence model with attention</source>
        <translation>Seq2Seq：带注意力的序列到序列模型</translation>
    </message>
    <message>
        <source>Markov: the baseline</source>
        <translation>马尔可夫：基线模型</translation>
    </message>
    <message>
        <source>GAN: a denoiser and a critic</source>
        <translation>GAN：去噪器加判别器</translation>
    </message>
    <message>
        <source>Parts: every track hears the others</source>
        <translation>多声部：每条音轨都听得到其他音轨</translation>
    </message>
    <message>
        <source>Rewrite has no layers of a learned style: it rewrites toward %1, the style %2 was learned from. Arrange writes in %2 itself.</source>
        <translation>改写没有学到的风格的附加层：它按%2学习时的起点风格%1来改写。编配则用%2本身来写。</translation>
    </message>
    <message>
        <source>Detected: %1</source>
        <translation>检测到：%1</translation>
    </message>
    <message>
        <source>Detected: none (only drums); a part added is in %1</source>
        <translation>检测到：无（只有鼓）；添加的声部使用 %1</translation>
    </message>
    <message>
        <source>Detected: none (no notes)</source>
        <translation>检测到：无（没有音符）</translation>
    </message>
    <message>
        <source>Detected (%1)</source>
        <translation>检测到（%1）</translation>
    </message>
    <message>
        <source>Auto (%1)</source>
        <translation>自动（%1）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA: %1</source>
        <translation>CUDA：%1</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;已打开&gt;</translation>
    </message>
</context>
<context>
    <name>InsertBarsDialog</name>
    <message>
        <source>Insert Bars</source>
        <translation>插入小节</translation>
    </message>
    <message>
        <source>Bars to insert:</source>
        <translation>插入小节数：</translation>
    </message>
    <message>
        <source>Before bar:</source>
        <translation>插在此小节之前：</translation>
    </message>
    <message>
        <source>The new bars are in %1, the meter of the bar they go before; everything from that bar on moves later on every track.</source>
        <translation>新小节的拍号为 %1，即其后那一小节的拍号；从该小节起，所有轨道上的内容都向后移。</translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message>
        <source>Not taken: %1 needs an octave, as %2, the nearest to the note (C4 is middle C).</source>
        <translation>未采用：%1 需要八度，如最接近该音符的 %2（C4 为中央 C）。</translation>
    </message>
    <message>
        <source>Not taken: %1 names no pitch. Type a note name (C4, Db5, F#3) or a MIDI number (61).</source>
        <translation>未采用：%1 不是音高。请输入音名（C4、Db5、F#3）或 MIDI 编号（61）。</translation>
    </message>
    <message>
        <source>Not taken: %1 is beyond MIDI&apos;s pitches, C-1 (0) to G9 (127).</source>
        <translation>未采用：%1 超出 MIDI 的音高范围 C-1（0）至 G9（127）。</translation>
    </message>
    <message>
        <source>Not taken: bar %1 is in %2, with beats 1 to %3 and ticks 0 to %4 in a beat.</source>
        <translation>未采用：第 %1 小节是 %2 拍，拍为 1 到 %3，每拍的 tick 为 0 到 %4。</translation>
    </message>
    <message>
        <source>Not taken: a bar of %1 has %2 beats. Type %3 for that length, or %4 for %5 bars.</source>
        <translation>未采用：%1 拍的一小节只有 %2 拍。这个长度请输入 %3，%5 小节请输入 %4。</translation>
    </message>
    <message>
        <source>Not taken: a bar of %1 has %2 beats. Type %3 for that length.</source>
        <translation>未采用：%1 拍的一小节只有 %2 拍。这个长度请输入 %3。</translation>
    </message>
    <message>
        <source>Not taken: a beat of %1 has %2 ticks. Type %3 for that length.</source>
        <translation>未采用：%1 拍的一拍只有 %2 tick。这个长度请输入 %3。</translation>
    </message>
    <message>
        <source>Not taken: %1 bars would end the note far past the piece. For %1 ticks type 0:0:%1.</source>
        <translation>未采用：%1 小节会让音符结束在乐曲结尾之后很远处。%1 tick 请输入 0:0:%1。</translation>
    </message>
    <message>
        <source>Not taken: the note would end in bar %1, over %2 bars past the piece&apos;s end (bar %3).</source>
        <translation>未采用：音符将结束于第 %1 小节，超出乐曲结尾（第 %3 小节）%2 小节以上。</translation>
    </message>
    <message>
        <source>Start as bar:beat:tick: 5:3:0 or 5.3 is bar 5, beat 3 (a beat of that bar, a tick of that beat)</source>
        <translation>起点：小节:拍:tick，5:3:0 或 5.3 为第 5 小节第 3 拍（拍须在该小节之内，tick 须在该拍之内）</translation>
    </message>
    <message>
        <source>Length as bars:beats:ticks in the meter where the note starts: 2 is two bars, 0:2 two beats, 1:2 or 1.2 (as in Start; not 1.2 bars) a bar and two beats, 0:0:240 240 ticks. The first number may run on (0:6 is six beats), the others stay within a bar and a beat. A note may end up to %1 bars after the piece ends</source>
        <translation>长度：小节:拍:tick，按音符起点所在的拍号计：2 为两小节，0:2 为两拍，1:2 或 1.2（与起点相同；不是 1.2 小节）为一小节加两拍，0:0:240 为 240 tick。第一个数可以任意大（0:6 为六拍），其后的数须在一小节、一拍之内。音符最多可结束于乐曲结尾之后 %1 小节</translation>
    </message>
    <message>
        <source>Pitch as a note name or a MIDI number: C4 (middle C), Db5, F#3 or 61; sharps and flats as # and b</source>
        <translation>音高：音名或 MIDI 编号：C4（中央 C）、Db5、F#3 或 61；升号和降号写作 # 和 b</translation>
    </message>
    <message>
        <source>Selected:</source>
        <translation>已选：</translation>
    </message>
    <message>
        <source>Position:</source>
        <translation>位置：</translation>
    </message>
    <message>
        <source>Pitch:</source>
        <translation>音高：</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>起点：</translation>
    </message>
    <message>
        <source>Length:</source>
        <translation>长度：</translation>
    </message>
    <message>
        <source>Velocity:</source>
        <translation>力度：</translation>
    </message>
    <message numerus="yes">
        <source>%n note(s)</source>
        <translation>
            <numerusform>%n 个音符</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Change pitch</source>
        <translation>修改音高</translation>
    </message>
    <message>
        <source>Change start</source>
        <translation>修改起点</translation>
    </message>
    <message>
        <source>Change length</source>
        <translation>修改长度</translation>
    </message>
</context>
<context>
    <name>Jam</name>
    <message>
        <source>Jam mode answers pitched parts: choose a track that is not drums.</source>
        <translation>即兴模式只回应有音高的声部：请选择非鼓轨道。</translation>
    </message>
    <message>
        <source>Cannot jam: %1</source>
        <translation>无法即兴：%1</translation>
    </message>
    <message>
        <source>Jam: play a phrase, then pause for a bar (or press the trigger): the app answers</source>
        <translation>即兴：弹一个乐句，然后停一小节（或按触发键）：应用会回应</translation>
    </message>
    <message>
        <source>(Jam plays on past the loop.)</source>
        <translation>（即兴模式会越过循环继续播放。）</translation>
    </message>
    <message>
        <source>Jam stopped; keep the last answer from the Takes panel</source>
        <translation>即兴已停止；可在候选面板保留最后的回应</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1；%2</translation>
    </message>
    <message>
        <source>Jam phrase</source>
        <translation>即兴乐句</translation>
    </message>
    <message>
        <source>Jam mode needs a Continue model; none is installed.</source>
        <translation>即兴模式需要续写模型，但尚未安装。</translation>
    </message>
    <message>
        <source>Answering…</source>
        <translation>正在回应…</translation>
    </message>
    <message>
        <source>No answer came this time; play another phrase</source>
        <translation>这次没有回应；请再弹一个乐句</translation>
    </message>
    <message>
        <source>Answer at bar %1: Enter keeps it</source>
        <translation>回应在第 %1 小节：按 Enter 保留</translation>
    </message>
    <message numerus="yes">
        <source>It replaces the %n take(s) listed and not kept.</source>
        <translation>
            <numerusform>它替换了列出但未保留的 %n 个候选。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Keys</name>
    <message>
        <source>major</source>
        <translation>大调</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>小调</translation>
    </message>
</context>
<context>
    <name>LearnStyleDialog</name>
    <message>
        <source>Learn a Style</source>
        <translation>学习风格</translation>
    </message>
    <message>
        <source>Choose your MIDI files (or a folder of them). The models learn small extra layers from them; the built-in models stay as they are. Some of your music is kept aside to check the result: one file in ten (at least one) from five files on, else about one bar in ten.</source>
        <translation>选择你的 MIDI 文件（或包含它们的文件夹）。模型会从中学习少量附加层，内置模型保持不变。部分音乐会被留出，用于检验结果：五个文件及以上时每十个文件留出一个（至少一个），否则约十分之一的小节。</translation>
    </message>
    <message>
        <source>Add Files...</source>
        <translation>添加文件...</translation>
    </message>
    <message>
        <source>Add Folder...</source>
        <translation>添加文件夹...</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>e.g. My reels</source>
        <translation>例如：我的里尔舞曲</translation>
    </message>
    <message>
        <source>The closest one (chosen from your files)</source>
        <translation>最接近的风格（根据你的文件选择）</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>起始风格</translation>
    </message>
    <message>
        <source>Time to spend</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Learn</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Your learned styles</source>
        <translation>你学习的风格</translation>
    </message>
    <message>
        <source>Rename...</source>
        <translation>重命名...</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export...</source>
        <translation>导出...</translation>
    </message>
    <message>
        <source>Import...</source>
        <translation>导入...</translation>
    </message>
    <message>
        <source>Left out (not a MIDI file or folder): %1</source>
        <translation>已忽略（不是 MIDI 文件或文件夹）：%1</translation>
    </message>
    <message>
        <source>MIDI files (%1)</source>
        <translation>MIDI 文件 (%1)</translation>
    </message>
    <message>
        <source>Choose MIDI Files</source>
        <translation>选择 MIDI 文件</translation>
    </message>
    <message>
        <source>Choose a Folder of MIDI Files</source>
        <translation>选择 MIDI 文件所在的文件夹</translation>
    </message>
    <message>
        <source>Add some MIDI files or a folder first.</source>
        <translation>请先添加 MIDI 文件或文件夹。</translation>
    </message>
    <message>
        <source>Reading your files...</source>
        <translation>正在读取你的文件...</translation>
    </message>
    <message>
        <source>Cancelling...</source>
        <translation>正在取消...</translation>
    </message>
    <message>
        <source>%1 played in off the beat: learnt on the beat.</source>
        <translation>%1 为即兴弹奏（未对齐节拍）：已按节拍对齐后学习。</translation>
    </message>
    <message>
        <source>Skipped %1: %2</source>
        <translation>跳过 %1 个：%2</translation>
    </message>
    <message>
        <source>The figure is on %1 of the %2 held-out notes, spread over them: a short learning scores a few.</source>
        <translation>该数值基于 %2 个留出音符中均匀分布的 %1 个：短时学习只评估其中一部分。</translation>
    </message>
    <message numerus="yes">
        <source>In %n step(s) the models learned nothing from your files that they do not already play in the %2 style, so %3 plays as %2. Learn it again with more time.</source>
        <translation>
            <numerusform>在 %n 步中，模型没有从你的文件里学到%2风格本来没有的东西，所以%3听起来就是%2。请给更多时间重新学习。</numerusform>
        </translation>
    </message>
    <message>
        <source>Choosing the closest built-in style...</source>
        <translation>正在选择最接近的内置风格...</translation>
    </message>
    <message>
        <source>Learning (%1 model)...</source>
        <translation>正在学习（%1 模型）...</translation>
    </message>
    <message>
        <source>Matching the new style&apos;s notes to your files (round %1)...</source>
        <translation>正在让新风格的音符贴近您的文件（第 %1 轮）...</translation>
    </message>
    <message>
        <source>Saving...</source>
        <translation>正在保存...</translation>
    </message>
    <message>
        <source>About %1 min left.</source>
        <translation>约剩 %1 分钟。</translation>
    </message>
    <message numerus="yes">
        <source>%n bar(s)</source>
        <translation>
            <numerusform>%n 小节</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Using %n file(s) (%1).</source>
        <translation>
            <numerusform>使用 %n 个文件（%1）。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 ended %2 hours of silence after its last event (a damaged length): it is learnt up to its last event.</source>
        <translation>%1 在最后一个事件之后还有 %2 小时的静音（长度已损坏）：只学习到它的最后一个事件为止。</translation>
    </message>
    <message>
        <source>%1 files ended hours of silence after their last event (a damaged length): each is learnt up to its last event: %2.</source>
        <translation>%1 个文件在最后一个事件之后还有数小时的静音（长度已损坏）：每个都只学习到其最后一个事件为止：%2。</translation>
    </message>
    <message>
        <source>Learned %1: held-out NLL %2 -&gt; %3 (lower is better).</source>
        <translation>已学习 %1：留出数据 NLL %2 -&gt; %3（越低越好）。</translation>
    </message>
    <message>
        <source>Cancelled; nothing was saved.</source>
        <translation>已取消，未保存任何内容。</translation>
    </message>
    <message>
        <source>Learning failed.</source>
        <translation>学习失败。</translation>
    </message>
    <message>
        <source>%1 was taken while learning, so the new style is called %2. </source>
        <translation>学习期间名称 %1 已被占用，因此新风格命名为 %2。</translation>
    </message>
    <message>
        <source>Stop Learning?</source>
        <translation>停止学习？</translation>
    </message>
    <message>
        <source>Learning is still running. Stop it and close?</source>
        <translation>学习仍在进行。要停止并关闭吗？</translation>
    </message>
    <message>
        <source>The style %1 is still being learned: reopening the window stops it, and nothing of it is saved. Stop learning and reopen the window?</source>
        <translation>风格 %1 仍在学习中：重新打开窗口会停止学习，且不会保存任何学习结果。停止学习并重新打开窗口吗？</translation>
    </message>
    <message>
        <source>The style %1 is still being learned: quitting stops it, and nothing of it is saved. Stop learning and quit?</source>
        <translation>风格 %1 仍在学习中：退出会停止学习，且不会保存任何学习结果。停止学习并退出吗？</translation>
    </message>
    <message>
        <source>Learning a Style</source>
        <translation>正在学习风格</translation>
    </message>
    <message>
        <source>Cannot be used: %1</source>
        <translation>无法使用：%1</translation>
    </message>
    <message>
        <source>Learned Styles</source>
        <translation>学习的风格</translation>
    </message>
    <message>
        <source>Rename Style</source>
        <translation>重命名风格</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>Delete Style</source>
        <translation>删除风格</translation>
    </message>
    <message>
        <source>Delete the learned style %1?</source>
        <translation>删除学习风格 %1？</translation>
    </message>
    <message>
        <source>Export Style</source>
        <translation>导出风格</translation>
    </message>
    <message>
        <source>Styles (*.musestyle)</source>
        <translation>风格文件 (*.musestyle)</translation>
    </message>
    <message>
        <source>Import Style</source>
        <translation>导入风格</translation>
    </message>
</context>
<context>
    <name>MainToolBar</name>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Snap</source>
        <translation>吸附</translation>
    </message>
    <message>
        <source>triplet</source>
        <translation>三连音</translation>
    </message>
    <message>
        <source>Grid for drawing, moving and quantizing (Shift or Alt while dragging: off)</source>
        <translation>绘制、移动和量化所用的网格（拖动时按住 Shift 或 Alt：不吸附）</translation>
    </message>
    <message>
        <source>Tempo at the playhead in beats a minute, counted in the meter&apos;s beat (♩. in 6/8, 9/8 and 12/8; the file keeps quarter notes); the other tempo changes stay</source>
        <translation>播放头处的速度，以拍号所数的拍计每分钟拍数（6/8、9/8 和 12/8 中为 ♩.；文件中仍以四分音符保存）；其他速度变化保持不变</translation>
    </message>
    <message>
        <source>Beats per bar</source>
        <translation>每小节拍数</translation>
    </message>
    <message>
        <source>Beat unit</source>
        <translation>拍子单位</translation>
    </message>
    <message>
        <source>Key (shades the in-key rows)</source>
        <translation>调性（调内音行会加亮）</translation>
    </message>
    <message>
        <source>No key</source>
        <translation>无调性</translation>
    </message>
    <message>
        <source>major</source>
        <translation>大调</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>小调</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Tracks</source>
        <translation>音轨</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Play / Stop</source>
        <translation>播放 / 停止(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Cannot play: %1</source>
        <translation>无法播放：%1</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
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
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Transport</source>
        <translation>走带(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>A new meter starts at this bar: the meter box sets it</source>
        <translation>新的拍号从此小节开始：由拍号框设置</translation>
    </message>
    <message>
        <source>A new key starts at this bar: the key box sets it</source>
        <translation>新的调从此小节开始：由调号框设置</translation>
    </message>
    <message>
        <source>“%1” is at the playhead already: double-click it in the marker row to rename it</source>
        <translation>播放头处已有“%1”：在标记行中双击它即可重命名</translation>
    </message>
    <message>
        <source>Loop is on, but there is no loop region yet: drag along the bar ruler above the roll to set one.</source>
        <translation>循环已打开，但还没有循环区域：在卷帘上方的小节标尺上拖动即可设定。</translation>
    </message>
    <message>
        <source>This computer plays no sound (%1): the music plays on MIDI out only.</source>
        <translation>这台电脑不发声（%1）：音乐只从 MIDI 输出播放。</translation>
    </message>
    <message>
        <source>Nothing is heard: %1. The playhead moves; to hear the music on another synth, choose a port in Out on the MIDI toolbar.</source>
        <translation>听不到声音：%1。播放头照常移动；要在其他合成器上听音乐，请在 MIDI 工具栏的“输出”中选择端口。</translation>
    </message>
    <message>
        <source>Nudge</source>
        <translation>微移</translation>
    </message>
    <message>
        <source>%1 selection</source>
        <translation>%1 选段</translation>
    </message>
    <message>
        <source>In the dragged file: %1</source>
        <translation>拖出的文件中：%1</translation>
    </message>
    <message>
        <source>Export WAV uses the new soundfont from now on; playback keeps the current one until the window reopens.</source>
        <translation>导出 WAV 从现在起使用新的音色库；播放在窗口重新打开之前仍使用当前的音色库。</translation>
    </message>
    <message>
        <source>Not transposed: a selected note would go past MIDI&apos;s range of pitches (0-127)</source>
        <translation>未移调：有选中的音符会超出 MIDI 音高范围（0-127）</translation>
    </message>
    <message>
        <source>The window was not reopened, so the Generate goes on: the new settings that need a fresh window apply the next time MuseStudio starts.</source>
        <translation>窗口没有重新打开，生成继续进行：需要新窗口才能生效的设置将在下次启动 MuseStudio 时生效。</translation>
    </message>
    <message>
        <source>About MuseStudio</source>
        <translation>关于 MuseStudio</translation>
    </message>
    <message>
        <source>&lt;b&gt;MuseStudio %1&lt;/b&gt;&lt;p&gt;An offline composing app: piano roll, FluidSynth playback and our own generative models.&lt;/p&gt;</source>
        <translation>&lt;b&gt;MuseStudio %1&lt;/b&gt;&lt;p&gt;离线作曲软件：钢琴卷帘、FluidSynth 播放，以及我们自己的生成模型。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>MarkerRow</name>
    <message>
        <source>Markers: double-click to add or rename, drag to move, Del to delete; Alt+Left/Alt+Right jump between them</source>
        <translation>标记：双击添加或重命名，拖动移动，Del 删除；Alt+左/Alt+右 在标记间跳转</translation>
    </message>
</context>
<context>
    <name>MidiPorts</name>
    <message>
        <source>No MIDI: point at the MIDI in box for why and what to do</source>
        <translation>无 MIDI：将鼠标指向“MIDI 输入”框，查看原因和解决办法</translation>
    </message>
    <message>
        <source>MIDI system found (%1)</source>
        <translation>已找到 MIDI 系统（%1）</translation>
    </message>
    <message>
        <source>the %1 MIDI system stopped</source>
        <translation>%1 MIDI 系统已停止</translation>
    </message>
    <message>
        <source>MIDI system lost: the %1 MIDI system stopped; MIDI comes back once it runs again</source>
        <translation>MIDI 系统丢失：%1 MIDI 系统已停止；重新运行后 MIDI 会自动恢复</translation>
    </message>
    <message>
        <source>MIDI system lost: %1</source>
        <translation>MIDI 系统丢失：%1</translation>
    </message>
    <message>
        <source>MIDI input &apos;%1&apos; went away; it is used again once it is back</source>
        <translation>MIDI 输入“%1”已断开；重新连接后会自动恢复使用</translation>
    </message>
    <message>
        <source>MIDI input &apos;%1&apos; is back</source>
        <translation>MIDI 输入“%1”已恢复</translation>
    </message>
    <message>
        <source>MIDI input: %1</source>
        <translation>MIDI 输入：%1</translation>
    </message>
    <message>
        <source>MIDI out: %1</source>
        <translation>MIDI 输出：%1</translation>
    </message>
</context>
<context>
    <name>MidiToolBar</name>
    <message>
        <source>MIDI</source>
        <translation>MIDI</translation>
    </message>
    <message>
        <source> MIDI in </source>
        <translation> MIDI 输入 </translation>
    </message>
    <message>
        <source>The keyboard to play, record and jam with</source>
        <translation>用于演奏、录音和即兴的键盘</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>录音</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步进</translation>
    </message>
    <message>
        <source>Jam</source>
        <translation>即兴</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Thru</source>
        <translation>直通</translation>
    </message>
    <message>
        <source>Clock</source>
        <translation>时钟</translation>
    </message>
    <message>
        <source> Out </source>
        <translation> 输出 </translation>
    </message>
    <message>
        <source>Send playback to a synth or DAW, or to our own port for them to read</source>
        <translation>将播放发送到合成器或 DAW，或发送到本应用的端口供其读取</translation>
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation>%1（未连接）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>MuseStudio (virtual port)</source>
        <translation>MuseStudio（虚拟端口）</translation>
    </message>
    <message>
        <source>MIDI system: %1</source>
        <translation>MIDI 系统：%1</translation>
    </message>
</context>
<context>
    <name>ModelErrorWords</name>
    <message>
        <source>an unknown kind of model (%1)</source>
        <translation>一种未知的模型（%1）</translation>
    </message>
    <message>
        <source>its model settings (&quot;config&quot;) are missing</source>
        <translation>缺少模型设置（&quot;config&quot;）</translation>
    </message>
    <message>
        <source>its model settings (&quot;config&quot;) are %1, not a table of values</source>
        <translation>它的模型设置（&quot;config&quot;）是 %1，而不是一张取值表</translation>
    </message>
    <message>
        <source>it has a setting &quot;%1&quot; this version does not know</source>
        <translation>其中有本版本不认识的设置 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is missing</source>
        <translation>缺少设置 &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is %2 (%3), not a whole number</source>
        <translation>设置 &quot;%1&quot; 是 %2（%3），不是整数</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is %2 (%3), not a number</source>
        <translation>设置 &quot;%1&quot; 是 %2（%3），不是数字</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is %2, not a whole number</source>
        <translation>设置 &quot;%1&quot; 是 %2，不是整数</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is %2, outside %3..%4</source>
        <translation>设置 &quot;%1&quot; 是 %2，超出了范围 %3..%4</translation>
    </message>
    <message>
        <source>an item of &quot;%1&quot; is %2 (%3), not a whole number</source>
        <translation>&quot;%1&quot; 中有一项是 %2（%3），不是整数</translation>
    </message>
    <message>
        <source>an item of &quot;%1&quot; is %2, not a whole number</source>
        <translation>&quot;%1&quot; 中有一项是 %2，不是整数</translation>
    </message>
    <message>
        <source>an item of &quot;%1&quot; is %2, outside %3..%4</source>
        <translation>&quot;%1&quot; 中有一项是 %2，超出了范围 %3..%4</translation>
    </message>
    <message>
        <source>text</source>
        <comment>a model setting holds it instead of a number</comment>
        <translation>文本</translation>
    </message>
    <message>
        <source>a list</source>
        <comment>a model setting holds it instead of a number</comment>
        <translation>列表</translation>
    </message>
    <message>
        <source>a table</source>
        <comment>a model setting holds it instead of a number</comment>
        <translation>键值表</translation>
    </message>
    <message>
        <source>no number</source>
        <comment>a model setting holds it instead of a number</comment>
        <translation>非数字</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is %2, not a list of 1 to %3 items</source>
        <translation>设置 &quot;%1&quot; 是 %2，不是含 1 到 %3 项的列表</translation>
    </message>
    <message>
        <source>the setting &quot;%1&quot; is %2, not a list of distinct names</source>
        <translation>设置 &quot;%1&quot; 是 %2，不是一组互不相同的名称</translation>
    </message>
    <message>
        <source>&quot;high&quot; (%1) must be above &quot;low&quot; (%2)</source>
        <translation>&quot;high&quot;（%1）必须大于 &quot;low&quot;（%2）</translation>
    </message>
    <message>
        <source>&quot;n_embd&quot; (%1) is not a multiple of &quot;n_head&quot; (%2)</source>
        <translation>&quot;n_embd&quot;（%1）不是 &quot;n_head&quot;（%2）的倍数</translation>
    </message>
    <message>
        <source>&quot;hidden&quot; (%1) must be at least 2 (the encoder uses half of it per direction)</source>
        <translation>&quot;hidden&quot;（%1）至少应为 2（编码器的每个方向用它的一半）</translation>
    </message>
    <message>
        <source>&quot;pad_id&quot; (%1) is not a token of a vocabulary of %2</source>
        <translation>&quot;pad_id&quot;（%1）不是大小为 %2 的词表中的词元</translation>
    </message>
    <message>
        <source>&quot;order&quot; %1 is too high for a vocabulary of %2</source>
        <translation>对大小为 %2 的词表来说，&quot;order&quot; %1 太高了</translation>
    </message>
    <message>
        <source>its weight type &quot;dtype&quot; is %1, not float16 or float32</source>
        <translation>它的权重类型 &quot;dtype&quot; 是 %1，不是 float16 或 float32</translation>
    </message>
    <message>
        <source>its vocabulary is not a table</source>
        <translation>它的词表不是一张表</translation>
    </message>
    <message>
        <source>its vocabulary is %1, not a list of tokens</source>
        <translation>它的词表是 %1，不是词元列表</translation>
    </message>
    <message>
        <source>its vocabulary lists a token twice</source>
        <translation>它的词表中有重复的词元</translation>
    </message>
    <message>
        <source>its vocabulary has %1 tokens, but the model&apos;s settings say %2</source>
        <translation>它的词表有 %1 个词元，但模型设置中是 %2 个</translation>
    </message>
    <message>
        <source>its list of styles is %1, not a list of names</source>
        <translation>它的风格列表是 %1，不是一组名称</translation>
    </message>
    <message>
        <source>it lists %1 styles, but the model&apos;s settings say %2</source>
        <translation>它列出了 %1 种风格，但模型设置中是 %2 种</translation>
    </message>
    <message>
        <source>its vocabulary size is %1, but the model&apos;s settings say %2</source>
        <translation>它的词表大小是 %1，但模型设置中是 %2</translation>
    </message>
    <message>
        <source>tokenizer version %1 is not %2</source>
        <translation>分词器版本 %1 不是 %2</translation>
    </message>
    <message>
        <source>grammar version %1 is not %2</source>
        <translation>词元语法版本 %1 不是 %2</translation>
    </message>
    <message>
        <source>the stored vocabulary does not match this tokenizer&apos;s</source>
        <translation>存储的词表与本版本分词器的词表不符</translation>
    </message>
    <message>
        <source>the stored vocabulary does not match this grammar&apos;s</source>
        <translation>存储的词表与本版本词元语法的词表不符</translation>
    </message>
    <message>
        <source>it is %1 bytes long, too short to be a weights file</source>
        <translation>它只有 %1 字节，太短，不可能是权重文件</translation>
    </message>
    <message>
        <source>its header is cut short or is not a weights file&apos;s header</source>
        <translation>它的文件头不完整，或者不是权重文件的文件头</translation>
    </message>
    <message>
        <source>its header is not readable</source>
        <translation>它的文件头无法读取</translation>
    </message>
    <message>
        <source>its header is not a table of tensors</source>
        <translation>它的文件头不是一张张量表</translation>
    </message>
    <message>
        <source>the header entry of tensor &quot;%1&quot; is not valid</source>
        <translation>文件头中张量 &quot;%1&quot; 的条目无效</translation>
    </message>
    <message>
        <source>its tensors overlap or leave gaps</source>
        <translation>它的张量相互重叠或留有空隙</translation>
    </message>
    <message>
        <source>its header describes %1 bytes of weights, the file holds %2</source>
        <translation>它的文件头描述了 %1 字节的权重，文件中却有 %2 字节</translation>
    </message>
    <message>
        <source>tensor %1 is missing</source>
        <translation>缺少张量 %1</translation>
    </message>
    <message>
        <source>tensors %1 are missing</source>
        <translation>缺少张量 %1</translation>
    </message>
    <message>
        <source>unexpected tensor %1</source>
        <translation>多出了张量 %1</translation>
    </message>
    <message>
        <source>unexpected tensors %1</source>
        <translation>多出了张量 %1</translation>
    </message>
    <message>
        <source>%1 and %2 more</source>
        <translation>%1 以及另外 %2 个</translation>
    </message>
    <message>
        <source>tensor &quot;%1&quot; is stored as %2, not as %3</source>
        <translation>张量 &quot;%1&quot; 存储为%2，而不是%3</translation>
    </message>
    <message>
        <source>16-bit numbers (F16)</source>
        <translation>16 位浮点数（F16）</translation>
    </message>
    <message>
        <source>32-bit numbers (F32)</source>
        <translation>32 位浮点数（F32）</translation>
    </message>
    <message>
        <source>whole numbers (I64)</source>
        <translation>整数（I64）</translation>
    </message>
    <message>
        <source>table &quot;%1&quot; has shape %2, not a single row</source>
        <translation>表 &quot;%1&quot; 的形状是 %2，而不是单独一行</translation>
    </message>
    <message>
        <source>tensor &quot;%1&quot; has shape %2, the settings imply %3</source>
        <translation>张量 &quot;%1&quot; 的形状是 %2，而设置要求 %3</translation>
    </message>
    <message>
        <source>tensor &quot;%1&quot; holds values that are not numbers (NaN or infinite)</source>
        <translation>张量 &quot;%1&quot; 中有不是数字的值（NaN 或无穷大）</translation>
    </message>
    <message>
        <source>tensor &quot;%1&quot; holds a weight of %2, far beyond what training gives (flipped bits?)</source>
        <translation>张量 &quot;%1&quot; 中有一个权重为 %2，远远超出训练能得到的值（比特翻转？）</translation>
    </message>
    <message>
        <source>its counts of %1-token runs have tables of different lengths</source>
        <translation>它对连续 %1 个词元的计数，各表长度不一</translation>
    </message>
    <message>
        <source>its counts of %1-token runs do not match their list of contexts</source>
        <translation>它对连续 %1 个词元的计数与其上下文列表不符</translation>
    </message>
    <message>
        <source>its counts of %1-token runs are out of order</source>
        <translation>它对连续 %1 个词元的计数顺序错乱</translation>
    </message>
    <message>
        <source>its counts of %1-token runs name tokens outside the vocabulary</source>
        <translation>它对连续 %1 个词元的计数中有词表之外的词元</translation>
    </message>
    <message>
        <source>its counts of %1-token runs hold counts below one</source>
        <translation>它对连续 %1 个词元的计数中有小于 1 的计数</translation>
    </message>
    <message>
        <source>its counts of %1-token runs do not add up to their totals</source>
        <translation>它对连续 %1 个词元的计数与其总数对不上</translation>
    </message>
    <message>
        <source>its counts of %1-token runs have impossible numbers of different next tokens</source>
        <translation>它对连续 %1 个词元的计数中，不同后续词元的数目不可能成立</translation>
    </message>
</context>
<context>
    <name>ModelKinds</name>
    <message>
        <source>transformer</source>
        <translation>Transformer 模型</translation>
    </message>
    <message>
        <source>seq2seq model</source>
        <translation>Seq2Seq 模型</translation>
    </message>
    <message>
        <source>Markov model</source>
        <translation>马尔可夫模型</translation>
    </message>
    <message>
        <source>Restyle GAN generator</source>
        <translation>风格转换的 GAN 生成器</translation>
    </message>
    <message>
        <source>Restyle GAN generator (adversarial denoiser)</source>
        <translation>风格转换的 GAN 生成器（对抗去噪器）</translation>
    </message>
    <message>
        <source>Restyle GAN critic</source>
        <translation>风格转换的 GAN 判别器</translation>
    </message>
    <message>
        <source>style classifier</source>
        <translation>风格分类器</translation>
    </message>
    <message>
        <source>multi-part model</source>
        <translation>多声部模型</translation>
    </message>
</context>
<context>
    <name>PianoRollEditor</name>
    <message>
        <source>Bar ruler: click to move the playhead; drag along it to set the loop region; right-click to insert or delete bars</source>
        <translation>小节标尺：单击移动播放头；沿标尺拖动设定循环区域；右键单击插入或删除小节</translation>
    </message>
    <message>
        <source>Move Controllers with Notes</source>
        <translation>控制器随音符移动</translation>
    </message>
    <message>
        <source>Markers</source>
        <translation>标记</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Chords</source>
        <translation>和弦</translation>
    </message>
    <message>
        <source>Velocity</source>
        <translation>力度</translation>
    </message>
</context>
<context>
    <name>PianoRollView</name>
    <message>
        <source>Empty piece. Draw notes with the Draw tool (D) and a click, import a MIDI file (Ctrl+I), drop a .mid or .muse file here, or let the app write some: Generate (Ctrl+G).</source>
        <translation>空白乐曲。用绘制工具（D）单击画音符，导入 MIDI 文件（Ctrl+I），把 .mid 或 .muse 文件拖到这里，或让程序来写：生成（Ctrl+G）。</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>Audio not started</source>
        <translation>音频未启动</translation>
    </message>
    <message>
        <source>PortAudio is not installed</source>
        <translation>未安装 PortAudio</translation>
    </message>
    <message>
        <source>there is no audio device</source>
        <translation>没有音频设备</translation>
    </message>
    <message>
        <source>its stream ended</source>
        <translation>音频流已中断</translation>
    </message>
    <message>
        <source>it has asked for no sound for %1 s</source>
        <translation>已有 %1 秒没有输出声音</translation>
    </message>
    <message>
        <source>the audio device %1 stopped: %2</source>
        <translation>音频设备 %1 已停止工作：%2</translation>
    </message>
    <message>
        <source>the audio device %1 failed: %2</source>
        <translation>音频设备 %1 出错：%2</translation>
    </message>
    <message>
        <source>Playback is silent: %1</source>
        <translation>播放无声：%1</translation>
    </message>
    <message>
        <source>Some instruments are silent: %1</source>
        <translation>部分乐器没有声音：%1</translation>
    </message>
    <message>
        <source>⚠ The soundfont %1 is partly damaged: %2 of its %3 samples cannot sound</source>
        <translation>⚠ 音色库 %1 部分损坏：它的 %3 个采样中有 %2 个无法发声</translation>
    </message>
    <message>
        <source>Audio: %1 (%2 ms)</source>
        <translation>音频：%1（%2 毫秒）</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Automatic (system FluidR3, else TimGM6mb)</source>
        <translation>自动（系统 FluidR3，否则 TimGM6mb）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>%1 frames (%2 ms)</source>
        <translation>%1 帧（%2 毫秒）</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>Soundfont:</source>
        <translation>音色库：</translation>
    </message>
    <message>
        <source>Audio buffer:</source>
        <translation>音频缓冲：</translation>
    </message>
    <message>
        <source>Autosave every:</source>
        <translation>自动保存间隔：</translation>
    </message>
    <message>
        <source>MIDI</source>
        <translation>MIDI</translation>
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation>%1（未连接）</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>MuseStudio (virtual port)</source>
        <translation>MuseStudio（虚拟端口）</translation>
    </message>
    <message>
        <source>Hear the keyboard through the app&apos;s synth (MIDI thru)</source>
        <translation>通过应用的合成器听键盘（MIDI 直通）</translation>
    </message>
    <message>
        <source>Send MIDI clock, start and stop to the output</source>
        <translation>向输出发送 MIDI 时钟、开始和停止</translation>
    </message>
    <message>
        <source>Automatic (ALSA, else JACK)</source>
        <translation>自动（ALSA，否则 JACK）</translation>
    </message>
    <message>
        <source>A bar&apos;s pause only</source>
        <translation>仅停顿一小节</translation>
    </message>
    <message>
        <source>Soft pedal (CC 67)</source>
        <translation>弱音踏板（CC 67）</translation>
    </message>
    <message>
        <source>Sostenuto pedal (CC 66)</source>
        <translation>持音踏板（CC 66）</translation>
    </message>
    <message>
        <source>Sustain pedal (CC 64)</source>
        <translation>延音踏板（CC 64）</translation>
    </message>
    <message>
        <source>Lowest key (A0)</source>
        <translation>最低键（A0）</translation>
    </message>
    <message>
        <source>Highest key (C8)</source>
        <translation>最高键（C8）</translation>
    </message>
    <message>
        <source>Keyboard (input):</source>
        <translation>键盘（输入）：</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>Backend:</source>
        <translation>后端：</translation>
    </message>
    <message>
        <source>Jam answers on:</source>
        <translation>即兴回应触发：</translation>
    </message>
    <message>
        <source>Soundfont</source>
        <translation>音色库</translation>
    </message>
    <message>
        <source>The soundfont %1 cannot be used: %2

Choose another file, or empty the field to use the automatic one.</source>
        <translation>无法使用音色库 %1：%2

请选择其他文件，或清空此栏以自动选择。</translation>
    </message>
    <message numerus="yes">
        <source>The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments using them will be silent.</source>
        <translation>
            <numerusform>音色库 %1 似乎已损坏：它的 %2 个采样中有 %n 个指向采样数据之外，用到它们的乐器将无法发声。</numerusform>
        </translation>
    </message>
    <message>
        <source>Soundfonts (*.sf2 *.sf3)</source>
        <translation>音色库 (*.sf2 *.sf3)</translation>
    </message>
    <message>
        <source>Reopen the window now to apply the new settings? Your piece stays open, with its unsaved changes and the takes listed; only the undo history starts afresh.</source>
        <translation>现在重新打开窗口以应用新设置吗？你的作品会保持打开，未保存的更改和列出的候选也会保留；只有撤销历史会重新开始。</translation>
    </message>
</context>
<context>
    <name>ProjectErrorWords</name>
    <message>
        <source>the key</source>
        <translation>调性</translation>
    </message>
    <message>
        <source>the project settings</source>
        <translation>项目设置</translation>
    </message>
    <message>
        <source>tempo</source>
        <translation>速度变化</translation>
    </message>
    <message>
        <source>tempo change %1</source>
        <translation>第 %1 个速度变化</translation>
    </message>
    <message>
        <source>time signature</source>
        <translation>拍号</translation>
    </message>
    <message>
        <source>time signature %1</source>
        <translation>第 %1 个拍号</translation>
    </message>
    <message>
        <source>key change %1</source>
        <translation>第 %1 个调性变化</translation>
    </message>
    <message>
        <source>the piece</source>
        <translation>乐曲</translation>
    </message>
    <message>
        <source>the piece&apos;s end</source>
        <translation>乐曲的结尾</translation>
    </message>
    <message>
        <source>marker %1</source>
        <translation>第 %1 个标记</translation>
    </message>
    <message>
        <source>shared channel %1</source>
        <translation>第 %1 个共用通道</translation>
    </message>
    <message>
        <source>metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>track %1</source>
        <translation>音轨 %1</translation>
    </message>
    <message>
        <source>track %1 &apos;%2&apos;</source>
        <translation>音轨 %1“%2”</translation>
    </message>
    <message>
        <source>note %1</source>
        <translation>第 %1 个音符</translation>
    </message>
    <message>
        <source>controller %1</source>
        <translation>第 %1 个控制器事件</translation>
    </message>
    <message>
        <source>text %1</source>
        <translation>第 %1 个文本事件</translation>
    </message>
    <message>
        <source>kept event %1</source>
        <translation>第 %1 个保留事件</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a row of a list in a project file: the list&apos;s field name, the row</comment>
        <translation>&apos;%1&apos; 的第 %2 行</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <comment>a place in a project file, then a place within it</comment>
        <translation>%1，%2</translation>
    </message>
    <message>
        <source>pitch bend</source>
        <translation>弯音</translation>
    </message>
    <message>
        <source>channel pressure</source>
        <translation>通道触后</translation>
    </message>
    <message>
        <source>program change</source>
        <translation>音色切换</translation>
    </message>
    <message>
        <source>aftertouch on key %1</source>
        <translation>琴键 %1 的复音触后</translation>
    </message>
    <message>
        <source>controller CC %1</source>
        <translation>控制器 CC %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <comment>where in a project file, then what is wrong there</comment>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is missing</source>
        <translation>缺少 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has the wrong type (%2)</source>
        <translation>&apos;%1&apos; 的类型不对（%2）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not text</source>
        <translation>&apos;%1&apos; 不是文本</translation>
    </message>
    <message>
        <source>&apos;%1&apos; lies absurdly far from the start (%2 ticks)</source>
        <translation>&apos;%1&apos; 离开头远得离谱（%2 tick）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a finite number</source>
        <translation>&apos;%1&apos; 不是有限的数</translation>
    </message>
    <message>
        <source>item %1 of &apos;%2&apos; has the wrong type (%3)</source>
        <translation>&apos;%2&apos; 的第 %1 项类型不对（%3）</translation>
    </message>
    <message>
        <source>a row must be [%1]</source>
        <translation>每一行都必须是 [%1]</translation>
    </message>
    <message>
        <source>it lies absurdly far from the start</source>
        <translation>它离开头远得离谱</translation>
    </message>
    <message>
        <source>every entry must be text</source>
        <translation>每一项都必须是文本</translation>
    </message>
    <message>
        <source>a note must be four whole numbers [pitch, start, duration, velocity], and a fifth for its release velocity</source>
        <translation>音符必须是四个整数 [音高, 起点, 时值, 力度]，可再加第五个：释放力度</translation>
    </message>
    <message>
        <source>pitch %1 is outside MIDI&apos;s 0..127</source>
        <translation>音高 %1 超出了 MIDI 的范围 0..127</translation>
    </message>
    <message>
        <source>note starts before zero (%1 ticks)</source>
        <translation>音符开始于零点之前（%1 tick）</translation>
    </message>
    <message>
        <source>note duration must be positive, got %1 ticks</source>
        <translation>音符时值必须大于零，这里却是 %1 tick</translation>
    </message>
    <message>
        <source>velocity %1 is outside MIDI&apos;s 1..127</source>
        <translation>力度 %1 超出了 MIDI 的范围 1..127</translation>
    </message>
    <message>
        <source>release velocity %1 is outside MIDI&apos;s 0..127</source>
        <translation>释放力度 %1 超出了 MIDI 的范围 0..127</translation>
    </message>
    <message>
        <source>controller event before zero (%1 ticks)</source>
        <translation>控制器事件位于零点之前（%1 tick）</translation>
    </message>
    <message>
        <source>%1 is not a controller lane</source>
        <translation>%1 不是控制器通道</translation>
    </message>
    <message>
        <source>%1 value %2 is outside %3..%4</source>
        <translation>%5的值 %2 超出了范围 %3..%4</translation>
    </message>
    <message>
        <source>key change before zero</source>
        <translation>调性变化位于零点之前</translation>
    </message>
    <message>
        <source>marker before zero</source>
        <translation>标记位于零点之前</translation>
    </message>
    <message>
        <source>text event before zero</source>
        <translation>文本事件位于零点之前</translation>
    </message>
    <message>
        <source>unknown text event kind %1</source>
        <translation>未知的文本事件种类 %1</translation>
    </message>
    <message>
        <source>event before zero</source>
        <translation>事件位于零点之前</translation>
    </message>
    <message>
        <source>a kept event cannot come after fewer than no text events</source>
        <translation>保留事件之前的文本事件数不能为负</translation>
    </message>
    <message>
        <source>a kept event cannot come after fewer than no controller events</source>
        <translation>保留事件之前的控制器事件数不能为负</translation>
    </message>
    <message>
        <source>a kept event must be a SysEx (F0/F7) or a meta event (FF type ...)</source>
        <translation>保留事件必须是 SysEx（F0/F7）或元事件（FF 类型 ...）</translation>
    </message>
    <message>
        <source>%1</source>
        <comment>why a kept event&apos;s bytes are not hexadecimal, in Python&apos;s words</comment>
        <translation>它的字节不是十六进制数</translation>
    </message>
    <message>
        <source>tonic %1 is not a pitch class 0..11</source>
        <translation>主音 %1 不是 0..11 之间的音级</translation>
    </message>
    <message>
        <source>mode must be major or minor, not %1</source>
        <translation>调式必须是大调或小调，而不是 %1</translation>
    </message>
    <message>
        <source>%1 accidentals do not spell a %2 key on %3</source>
        <translation>升降号 %1 拼不出主音为 %3 的%2</translation>
    </message>
    <message>
        <source>cannot read key %1</source>
        <translation>无法识别调性 %1</translation>
    </message>
    <message>
        <source>tempo change before zero</source>
        <translation>速度变化位于零点之前</translation>
    </message>
    <message>
        <source>tempo %1 BPM is outside %2..%3</source>
        <translation>速度 %1 BPM 超出了范围 %2..%3</translation>
    </message>
    <message>
        <source>time signature before zero</source>
        <translation>拍号位于零点之前</translation>
    </message>
    <message>
        <source>time signature numerator %1 is outside 1..255</source>
        <translation>拍号的分子 %1 超出了范围 1..255</translation>
    </message>
    <message>
        <source>time signature denominator %1 is not a power of two up to 128</source>
        <translation>拍号的分母 %1 不是不超过 128 的 2 的幂</translation>
    </message>
    <message>
        <source>time signature metronome values must be 0..255</source>
        <translation>拍号的节拍器数值必须在 0..255 之间</translation>
    </message>
    <message>
        <source>text encoding %1 is not one of %2</source>
        <translation>文本编码 %1 不是 %2 之一</translation>
    </message>
    <message>
        <source>ticks per beat %1 is outside 1..32767</source>
        <translation>每拍 tick 数 %1 超出了范围 1..32767</translation>
    </message>
    <message>
        <source>end of the piece before zero</source>
        <translation>乐曲的结尾位于零点之前</translation>
    </message>
    <message>
        <source>GM program %1 is outside 0..127</source>
        <translation>GM 音色 %1 超出了范围 0..127</translation>
    </message>
    <message>
        <source>MIDI channel %1 is outside 0..15</source>
        <translation>MIDI 通道 %1 超出了范围 0..15</translation>
    </message>
    <message>
        <source>volume %1 is outside 0..127</source>
        <translation>音量 %1 超出了范围 0..127</translation>
    </message>
    <message>
        <source>name “%1” is set where name_event is false</source>
        <translation>name_event 为 false 却设置了名称“%1”</translation>
    </message>
    <message>
        <source>program_after %1 is below 0</source>
        <translation>program_after %1 小于 0</translation>
    </message>
    <message>
        <source>volume_after %1 is below 0</source>
        <translation>volume_after %1 小于 0</translation>
    </message>
    <message>
        <source>sound_before_lanes %1 is below 0</source>
        <translation>sound_before_lanes %1 小于 0</translation>
    </message>
    <message>
        <source>it must be [channel, [[is_drum, program, volume, [[lane, value], ...]], ...]]</source>
        <translation>它必须是 [通道, [[是否为鼓, 音色, 音量, [[控制器通道, 值], ...]], ...]]</translation>
    </message>
    <message>
        <source>channel %1 is not a whole number in %2..%3</source>
        <translation>通道 %1 不是 %2..%3 之间的整数</translation>
    </message>
    <message>
        <source>program %1 is not a whole number in %2..%3</source>
        <translation>音色 %1 不是 %2..%3 之间的整数</translation>
    </message>
    <message>
        <source>volume %1 is not a whole number in %2..%3</source>
        <translation>音量 %1 不是 %2..%3 之间的整数</translation>
    </message>
    <message>
        <source>lane %1 value %2 is not a whole number in %3..%4</source>
        <translation>控制器通道 %1 的值 %2 不是 %3..%4 之间的整数</translation>
    </message>
    <message>
        <source>lane %1 is not a controller lane</source>
        <translation>%1 不是控制器通道</translation>
    </message>
</context>
<context>
    <name>Recording</name>
    <message>
        <source>Cannot record: %1</source>
        <translation>无法录音：%1</translation>
    </message>
    <message>
        <source>replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>overdub</source>
        <translation>叠录</translation>
    </message>
    <message>
        <source>Recording into %1 (%2) after a bar of count-in</source>
        <translation>预备一小节后录入 %1（%2）</translation>
    </message>
    <message>
        <source>Recording stopped: nothing was played</source>
        <translation>录音已停止：没有弹奏任何内容</translation>
    </message>
    <message numerus="yes">
        <source>Record %n note(s)</source>
        <translation>
            <numerusform>录入 %n 个音符</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Recorded %n note(s)</source>
        <translation>
            <numerusform>已录入 %n 个音符</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n in place of the same note(s) already there)</source>
        <translation>
            <numerusform>%1（其中 %n 个替换了原有的相同音符）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 and %n controller event(s)</source>
        <translation>
            <numerusform>%1和 %n 个控制器事件</numerusform>
        </translation>
    </message>
    <message>
        <source>The new loop plays once recording stops</source>
        <translation>新的循环在录音停止后生效</translation>
    </message>
    <message>
        <source>Step input: play a note or chord; the cursor moves on by the snap</source>
        <translation>步进输入：弹一个音或和弦；光标按网格前进</translation>
    </message>
    <message numerus="yes">
        <source>Step input %n note(s)</source>
        <translation>
            <numerusform>步进输入 %n 个音符</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <source>Recover Unsaved Work</source>
        <translation>恢复未保存的作品</translation>
    </message>
    <message>
        <source>MuseStudio did not close normally last time. These recovery copies hold work that was not saved. Restore, save or discard each one; those you leave are kept and offered again next time.</source>
        <translation>MuseStudio 上次没有正常关闭。这些恢复副本保存着未保存的作品。请逐个恢复、保存或丢弃；未处理的副本会被保留，下次启动时再次提供。</translation>
    </message>
    <message>
        <source>Piece</source>
        <translation>乐曲</translation>
    </message>
    <message>
        <source>Last autosaved</source>
        <translation>最后自动保存</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>音符数</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>&amp;Restore</source>
        <translation>恢复(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save As…</source>
        <translation>另存为(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Discard…</source>
        <translation>丢弃(&amp;D)…</translation>
    </message>
    <message>
        <source>Decide &amp;Later</source>
        <translation>稍后决定(&amp;L)</translation>
    </message>
    <message numerus="yes">
        <source>%1 (+ %n take(s))</source>
        <translation>
            <numerusform>%1（另有 %n 个候选）</numerusform>
        </translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>never saved</source>
        <translation>从未保存</translation>
    </message>
    <message>
        <source>damaged: it cannot be read (its path is in the tooltip)</source>
        <translation>已损坏：无法读取（路径见提示）</translation>
    </message>
    <message>
        <source>(no longer there)</source>
        <translation>（已不在原处）</translation>
    </message>
    <message>
        <source>⚠ “%1” is no longer there: it was moved, renamed or deleted after the piece in this copy was opened or saved. Restored and saved, the piece is written there again.</source>
        <translation>⚠ “%1”已不在原处：在此副本中的乐曲打开或保存之后，它被移动、重命名或删除了。恢复并保存后，乐曲会重新写到那里。</translation>
    </message>
    <message>
        <source>(changed on disk since)</source>
        <translation>（此后磁盘上的文件已更改）</translation>
    </message>
    <message>
        <source>⚠ “%1” was changed on disk at %2, after the piece in this copy was opened or saved (saved from another window, or changed by another program). Restoring leaves the file as it is, and saving the restored piece asks before replacing that version; Save As… keeps both.</source>
        <translation>⚠ “%1”在 %2 于磁盘上被更改，晚于此副本中的乐曲打开或保存的时间（从另一个窗口保存，或被其他程序更改）。恢复不会改动该文件，保存恢复的乐曲时会先询问是否替换那个版本；用“另存为…”可两者都保留。</translation>
    </message>
    <message>
        <source>Discarded in another window</source>
        <translation>已在另一个窗口中丢弃</translation>
    </message>
    <message>
        <source>The recovery copy of “%1” was discarded in another MuseStudio window meanwhile (or saved there as a project): there is nothing left to restore.</source>
        <translation>“%1”的恢复副本已在此期间于另一个 MuseStudio 窗口中被丢弃（或在那里另存为项目）：没有可恢复的内容了。</translation>
    </message>
    <message>
        <source>Cannot read the recovery copy</source>
        <translation>无法读取恢复副本</translation>
    </message>
    <message>
        <source>Save the Recovered Piece As</source>
        <translation>将恢复的乐曲另存为</translation>
    </message>
    <message>
        <source>MuseStudio projects (*.muse)</source>
        <translation>MuseStudio 项目 (*.muse)</translation>
    </message>
    <message>
        <source>Cannot save</source>
        <translation>无法保存</translation>
    </message>
    <message>
        <source>%1.

The recovery copy is kept.</source>
        <translation>%1。

恢复副本已保留。</translation>
    </message>
    <message>
        <source>Discard the recovery copy?</source>
        <translation>丢弃恢复副本？</translation>
    </message>
    <message>
        <source>Restored in another window</source>
        <translation>已在另一个窗口中恢复</translation>
    </message>
    <message>
        <source>“%1” was restored in another MuseStudio window meanwhile, and its recovery copy now protects the piece there: nothing was discarded. Save or close it in that window.</source>
        <translation>与此同时，“%1”已在另一个 MuseStudio 窗口中恢复，其恢复副本现在保护着那里的乐曲：没有丢弃任何内容。请在那个窗口中保存或关闭它。</translation>
    </message>
    <message>
        <source>The unsaved changes to “%1” will be lost for good.</source>
        <translation>对“%1”未保存的更改将永久丢失。</translation>
    </message>
    <message numerus="yes">
        <source>The unsaved changes to “%1” will be lost for good, and so will the %n generated take(s) listed with it and not kept.</source>
        <translation>
            <numerusform>对“%1”未保存的更改将永久丢失，随它列出、尚未保留的 %n 个生成的候选也将一并丢失。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RulerWidget</name>
    <message>
        <source>End</source>
        <translation>结尾</translation>
    </message>
    <message numerus="yes">
        <source>The piece ends here, after %n silent bar(s): the MIDI file it came from ends so (a loop&apos;s rests). They play, export and loop with it; Edit &gt; Trim Silent Bars at the End ends the piece at its last note.</source>
        <translation>
            <numerusform>乐曲在 %n 个空小节之后于此结束：它来自的 MIDI 文件就是这样结尾的（循环段的休止）。这些小节随乐曲一起播放、导出和循环；“编辑 &gt; 删除末尾的空小节”可让乐曲在最后一个音符处结束。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SaveDialog</name>
    <message>
        <source>Replace the file?</source>
        <translation>替换文件？</translation>
    </message>
    <message>
        <source>“%1” already exists in that folder. Replace it?</source>
        <translation>该文件夹中已有“%1”。要替换它吗？</translation>
    </message>
</context>
<context>
    <name>SeedStyle</name>
    <message>
        <source>There are no notes to read a style from.</source>
        <translation>没有可以判断风格的音符。</translation>
    </message>
    <message>
        <source>The seed sounds like %1: Generate writes in that style</source>
        <translation>种子听起来像%1：生成将使用这个风格</translation>
    </message>
    <message>
        <source>Suggested style: %1</source>
        <translation>建议风格：%1</translation>
    </message>
    <message>
        <source>Reading the seed…</source>
        <translation>正在读取种子…</translation>
    </message>
    <message>
        <source>From the seed</source>
        <translation>从种子判断</translation>
    </message>
    <message>
        <source>Your choice for this piece.</source>
        <translation>你为这首曲子选的风格。</translation>
    </message>
    <message>
        <source>Drums alone have no style to read: a part added to them is in this one.</source>
        <translation>只有鼓时无法判断风格：为其添加的声部使用此风格。</translation>
    </message>
    <message>
        <source>What the seed sounds like (read from its notes).</source>
        <translation>种子听起来的风格（从其音符判断）。</translation>
    </message>
    <message>
        <source>Restyle goes to the style you pick here.</source>
        <translation>风格转换会转换成你在这里选择的风格。</translation>
    </message>
    <message>
        <source>No style could be read from the seed: pick one.</source>
        <translation>无法从种子判断风格：请选择一个。</translation>
    </message>
    <message>
        <source>No notes to read a style from yet: Generate writes in the style shown.</source>
        <translation>还没有可判断风格的音符：生成时使用这里显示的风格。</translation>
    </message>
    <message>
        <source>Generate reads the style from the seed first, unless you pick one.</source>
        <translation>除非你选择一个风格，生成时会先从种子判断风格。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Mouse</source>
        <translation>鼠标</translation>
    </message>
    <message>
        <source>Copy the selection</source>
        <translation>复制所选</translation>
    </message>
    <message>
        <source>Ctrl+drag a note</source>
        <translation>Ctrl+拖动音符</translation>
    </message>
    <message>
        <source>Move a note&apos;s start or end (the other stays)</source>
        <translation>移动音符的起点或终点（另一端不动）</translation>
    </message>
    <message>
        <source>Drag its left or right edge</source>
        <translation>拖动音符的左边缘或右边缘</translation>
    </message>
    <message>
        <source>Move or resize off the grid</source>
        <translation>不吸附地移动或调整长度</translation>
    </message>
    <message>
        <source>Shift+drag or Alt+drag</source>
        <translation>Shift+拖动 或 Alt+拖动</translation>
    </message>
    <message>
        <source>Take the selection out as a .mid file</source>
        <translation>把所选内容作为 .mid 文件拖出</translation>
    </message>
    <message>
        <source>Drag the arrow grip at its corner</source>
        <translation>拖动其角上的箭头把手</translation>
    </message>
    <message>
        <source>Drag a take out as a .mid file</source>
        <translation>把候选作为 .mid 文件拖出</translation>
    </message>
    <message>
        <source>Drag its row out of the Takes list</source>
        <translation>把它的行拖出候选列表</translation>
    </message>
    <message>
        <source>Add to or remove from the selection</source>
        <translation>加入或移出选择</translation>
    </message>
    <message>
        <source>Shift+click</source>
        <translation>Shift+单击</translation>
    </message>
    <message>
        <source>Erase a note</source>
        <translation>擦除音符</translation>
    </message>
    <message>
        <source>Right-click</source>
        <translation>右键单击</translation>
    </message>
    <message>
        <source>Zoom time / pitch</source>
        <translation>缩放时间 / 音高</translation>
    </message>
    <message>
        <source>Ctrl+wheel / Ctrl+Shift+wheel</source>
        <translation>Ctrl+滚轮 / Ctrl+Shift+滚轮</translation>
    </message>
    <message>
        <source>Scroll sideways</source>
        <translation>横向滚动</translation>
    </message>
    <message>
        <source>Shift+wheel</source>
        <translation>Shift+滚轮</translation>
    </message>
    <message>
        <source>Keyboard focus</source>
        <translation>键盘焦点</translation>
    </message>
    <message>
        <source>in the marker row or the tempo lane</source>
        <translation>在标记行或速度行中</translation>
    </message>
    <message>
        <source>in the Takes list</source>
        <translation>在候选列表中</translation>
    </message>
    <message>
        <source>Press the button reached with Tab</source>
        <translation>按下用 Tab 键移到的按钮</translation>
    </message>
    <message>
        <source>Delete the selected marker or tempo change</source>
        <translation>删除选中的标记或速度变化</translation>
    </message>
    <message>
        <source>Pick the take above or below</source>
        <translation>选上一个或下一个候选</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>Compute: …</source>
        <translation>计算：…</translation>
    </message>
    <message>
        <source>Key: %1</source>
        <translation>调性：%1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Position %1</source>
        <translation>位置 %1</translation>
    </message>
    <message>
        <source>Compute: %1</source>
        <translation>计算：%1</translation>
    </message>
</context>
<context>
    <name>Styles</name>
    <message>
        <source>Bach chorale</source>
        <translation>巴赫众赞歌</translation>
    </message>
    <message>
        <source>Four-part chorale harmonisations by J.S. Bach: hymn melody over three moving voices, phrase-end fermatas, dense functional harmony.</source>
        <translation>J.S. 巴赫的四声部众赞歌和声：赞美诗旋律之下三个流动声部，乐句末的延长记号，密集的功能和声。</translation>
    </message>
    <message>
        <source>Renaissance polyphony</source>
        <translation>文艺复兴复调</translation>
    </message>
    <message>
        <source>Palestrina&apos;s masses: smooth stepwise lines in long notes, imitation between voices, modal harmony with few leaps.</source>
        <translation>帕莱斯特里纳的弥撒曲：长音符中平稳级进的线条，声部间的模仿，少有跳进的调式和声。</translation>
    </message>
    <message>
        <source>Celtic fiddle</source>
        <translation>凯尔特小提琴</translation>
    </message>
    <message>
        <source>Irish and Scottish dance tunes (jigs, reels, hornpipes) from O&apos;Neill&apos;s 1850, Ryan&apos;s Mammoth and the Nottingham collection: running eighths, repeated four-bar phrases.</source>
        <translation>爱尔兰与苏格兰舞曲（吉格、里尔、号笛舞），取自 O&apos;Neill&apos;s 1850、Ryan&apos;s Mammoth 和诺丁汉曲集：连续的八分音符，反复的四小节乐句。</translation>
    </message>
    <message>
        <source>Chinese folk</source>
        <translation>中国民歌</translation>
    </message>
    <message>
        <source>Han Chinese folk songs from the Essen collection: pentatonic melodies, flexible phrasing.</source>
        <translation>Essen 曲集中的汉族民歌：五声音阶旋律，乐句灵活。</translation>
    </message>
    <message>
        <source>German folk</source>
        <translation>德国民歌</translation>
    </message>
    <message>
        <source>German folk songs and ballads from the Essen collection: diatonic, singable, regular phrases.</source>
        <translation>Essen 曲集中的德国民歌与叙事曲：自然音阶，易于歌唱，乐句规整。</translation>
    </message>
    <message>
        <source>Classical quartet</source>
        <translation>古典四重奏</translation>
    </message>
    <message>
        <source>String quartets by Haydn, Mozart and Beethoven: melody over accompaniment, clear cadences, contrasting textures.</source>
        <translation>海顿、莫扎特和贝多芬的弦乐四重奏：伴奏之上的旋律，清晰的终止式，对比鲜明的织体。</translation>
    </message>
    <message>
        <source>Pop</source>
        <translation>流行</translation>
    </message>
    <message>
        <source>Chinese pop songs arranged for piano (POP909): a sung melody over chordal accompaniment.</source>
        <translation>改编为钢琴的华语流行歌曲（POP909）：和弦伴奏之上的歌唱旋律。</translation>
    </message>
    <message>
        <source>Jazz standard</source>
        <translation>爵士标准曲</translation>
    </message>
    <message>
        <source>Lead-sheet melodies of jazz standards from OpenEWLD: syncopation, chromatic approach notes.</source>
        <translation>OpenEWLD 中爵士标准曲的主旋律谱：切分节奏，半音经过的趋近音。</translation>
    </message>
    <message numerus="yes">
        <source>%n bar(s)</source>
        <translation>
            <numerusform>%n 小节</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Learned from %n file(s), %1, on %2 (starts from %3).</source>
        <translation>
            <numerusform>从 %n 个文件、%1学习，日期 %2（起始风格：%3）。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TakesPanel</name>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Critic</source>
        <translation>评判</translation>
    </message>
    <message>
        <source>Taste</source>
        <translation>偏好</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>总分</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Audition</source>
        <translation>试听</translation>
    </message>
    <message>
        <source>Play the seed and this take (1-8 pick a take)</source>
        <translation>播放种子和此候选（按 1-8 选择候选）</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Merge this take into the track (Enter in the list)</source>
        <translation>将此候选并入音轨（在列表中按 Enter）</translation>
    </message>
    <message>
        <source>Keep as New Track</source>
        <translation>保留为新音轨</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Discard All</source>
        <translation>全部丢弃</translation>
    </message>
    <message>
        <source>No takes yet: press Generate (Ctrl+G).</source>
        <translation>还没有候选：请按“生成”（Ctrl+G）。</translation>
    </message>
    <message>
        <source>Best first. Keys 1-8 audition, Enter keeps. Generate again replaces these takes: keep the ones you want first.</source>
        <translation>最佳在前。按 1-8 试听，Enter 保留。再次生成会替换这些候选：请先保留想要的。</translation>
    </message>
    <message>
        <source>No takes: press Generate (Ctrl+G).</source>
        <translation>没有候选：请按“生成”（Ctrl+G）。</translation>
    </message>
    <message>
        <source>Critic: realness %1, sounds %2 %3</source>
        <translation>评判：真实度 %1，听起来像%2 %3</translation>
    </message>
    <message>
        <source>, keeps %1 of the harmony</source>
        <translation>，保留了 %1 的和声</translation>
    </message>
    <message>
        <source>This take&apos;s own seed: Generate with it and one variation to draw it again</source>
        <translation>此候选自己的种子：用它并设候选数为 1 再次生成即可重现</translation>
    </message>
    <message>
        <source>No seed: this take was recovered from a copy an earlier version of MuseStudio wrote, which drew it with the other takes of its run in a way no seed draws it alone now. Keep it to have it, or Generate again for takes with seeds of their own</source>
        <translation>无种子：此候选恢复自旧版 MuseStudio 写下的副本，当时它与同一次生成的其他候选一起抽取，如今没有哪个种子能单独重现它。保留它即可留下，或重新生成以得到各有种子的候选</translation>
    </message>
    <message>
        <source>Take %1: %2, %3, seed %4</source>
        <translation>候选 %1：%2，%3，种子 %4</translation>
    </message>
    <message>
        <source>Take %1: %2, %3, no seed (recovered from an earlier version)</source>
        <translation>候选 %1：%2，%3，无种子（恢复自旧版）</translation>
    </message>
    <message>
        <source>Critic %1, taste %2, score %3</source>
        <translation>评判 %1，偏好 %2，总分 %3</translation>
    </message>
    <message>
        <source>nearly empty</source>
        <translation>几乎为空</translation>
    </message>
    <message>
        <source>critic</source>
        <translation>评判模型</translation>
    </message>
    <message>
        <source>agreed</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>taste ▲</source>
        <translation>偏好 ▲</translation>
    </message>
    <message>
        <source>taste ▼</source>
        <translation>偏好 ▼</translation>
    </message>
    <message>
        <source>Almost nothing in it: listed below the fuller takes</source>
        <translation>几乎没有内容：排在更完整的候选之后</translation>
    </message>
    <message>
        <source>Ranked by the critic alone (keep and discard takes to teach it your taste)</source>
        <translation>仅按评判模型排序（保留或丢弃候选，让它学会你的偏好）</translation>
    </message>
    <message>
        <source>The critic and your taste agree on this take</source>
        <translation>评判模型与你的偏好对此候选看法一致</translation>
    </message>
    <message>
        <source>Your taste ranks it higher than the critic does</source>
        <translation>你的偏好把它排得比评判模型更高</translation>
    </message>
    <message>
        <source>Your taste ranks it lower than the critic does</source>
        <translation>你的偏好把它排得比评判模型更低</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
</context>
<context>
    <name>Tempo</name>
    <message>
        <source>whole</source>
        <translation>全音符</translation>
    </message>
    <message>
        <source>half</source>
        <translation>二分音符</translation>
    </message>
    <message>
        <source>16th</source>
        <translation>十六分音符</translation>
    </message>
    <message>
        <source>dotted 16th</source>
        <translation>附点十六分音符</translation>
    </message>
    <message>
        <source>32nd</source>
        <translation>三十二分音符</translation>
    </message>
    <message>
        <source>dotted 32nd</source>
        <translation>附点三十二分音符</translation>
    </message>
    <message>
        <source>64th</source>
        <translation>六十四分音符</translation>
    </message>
    <message>
        <source>dotted 64th</source>
        <translation>附点六十四分音符</translation>
    </message>
    <message>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
</context>
<context>
    <name>TempoLane</name>
    <message>
        <source>Tempo: drag a change up/down for BPM (Shift: fine), sideways to move it; double-click to add one, Del to remove it</source>
        <translation>速度：上下拖动速度变化以调整 BPM（Shift：微调），左右拖动以移动；双击添加，Del 删除</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1，位于 %2</translation>
    </message>
    <message>
        <source>The tempo change took the place of the one it was moved onto (Undo brings it back)</source>
        <translation>该速度变化替换了它被移到的那个速度变化（撤销可恢复）</translation>
    </message>
</context>
<context>
    <name>TrackLabels</name>
    <message>
        <source>Text</source>
        <comment>a track of only words, which has no name</comment>
        <translation>文本</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>a track&apos;s name that ends in a number, and its number among tracks so named</comment>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <comment>a track&apos;s name and its number among tracks so named: Violin 2</comment>
        <translation>%1 %2</translation>
    </message>
</context>
<context>
    <name>TrackPanel</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add a track</source>
        <translation>添加音轨</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Rename the active track</source>
        <translation>重命名当前音轨</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the active track</source>
        <translation>删除当前音轨</translation>
    </message>
</context>
<context>
    <name>TrackRow</name>
    <message>
        <source>Track colour</source>
        <translation>音轨颜色</translation>
    </message>
    <message>
        <source>Double-click to rename; drag to a DAW or file manager to take the track out as MIDI</source>
        <translation>双击重命名；拖到 DAW 或文件管理器，把这条轨道作为 MIDI 拖出</translation>
    </message>
    <message>
        <source>M</source>
        <translation>静</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>S</source>
        <translation>独</translation>
    </message>
    <message>
        <source>Solo</source>
        <translation>独奏</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Mute track</source>
        <translation>音轨静音</translation>
    </message>
    <message>
        <source>Solo track</source>
        <translation>音轨独奏</translation>
    </message>
    <message>
        <source>General MIDI instrument: %1</source>
        <translation>General MIDI 乐器：%1</translation>
    </message>
    <message>
        <source>Change track colour</source>
        <translation>修改音轨颜色</translation>
    </message>
    <message>
        <source>Change instrument</source>
        <translation>更换乐器</translation>
    </message>
    <message>
        <source>Change volume</source>
        <translation>修改音量</translation>
    </message>
    <message>
        <source>No name of its own: called by its instrument, numbered to tell it from the tracks that play the same, until you rename it</source>
        <translation>没有自己的名称：以其乐器称呼，并加上编号以区分演奏同一乐器的轨道，直到你为它重命名</translation>
    </message>
    <message>
        <source>No name of its own: called by its instrument until you rename it</source>
        <translation>没有自己的名称：以其乐器称呼，直到你为它重命名</translation>
    </message>
    <message>
        <source>Rename track</source>
        <translation>重命名音轨</translation>
    </message>
    <message>
        <source>Track name:</source>
        <translation>音轨名称：</translation>
    </message>
</context>
<context>
    <name>Worker</name>
    <message>
        <source>The graphics card ran out of memory. Choose CPU as the compute device, or ask for fewer variations or bars.</source>
        <translation>显卡内存不足。请选择 CPU 作为计算设备，或减少变体数或小节数。</translation>
    </message>
    <message>
        <source>Generation failed: %1: %2</source>
        <translation>生成失败：%1：%2</translation>
    </message>
</context>
</TS>
