<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>Editor</name>
        <message numerus="yes">
            <source>Quantize merged %n note(s) into a note of the same pitch played just before on the same grid line.</source>
            <translation>
                <numerusform>Quantize merged %n note into a note of the same pitch played just before on the same grid line.</numerusform>
                <numerusform>Quantize merged %n notes into a note of the same pitch played just before on the same grid line.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Quantize moved %n note(s) on to the next grid line: a note of the same pitch played earlier took the line.</source>
            <translation>
                <numerusform>Quantize moved %n note on to the next grid line: a note of the same pitch played earlier took the line.</numerusform>
                <numerusform>Quantize moved %n notes on to the next grid line: a note of the same pitch played earlier took the line.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Duplicated %n note(s) at %1 in %2.</source>
            <translation>
                <numerusform>Duplicated %n note at %1 in %2.</numerusform>
                <numerusform>Duplicated %n notes at %1 in %2.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Copied %n note(s) from %2.</source>
            <translation>
                <numerusform>Copied %n note from %2.</numerusform>
                <numerusform>Copied %n notes from %2.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Cut %n note(s) from %2.</source>
            <translation>
                <numerusform>Cut %n note from %2.</numerusform>
                <numerusform>Cut %n notes from %2.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Pasted %n note(s) at %1 in %2.</source>
            <translation>
                <numerusform>Pasted %n note at %1 in %2.</numerusform>
                <numerusform>Pasted %n notes at %1 in %2.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Paste merged %n copied note(s) into a note of the same pitch already starting there.</source>
            <translation>
                <numerusform>Paste merged %n copied note into a note of the same pitch already starting there.</numerusform>
                <numerusform>Paste merged %n copied notes into a note of the same pitch already starting there.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ExportWav</name>
        <message numerus="yes">
            <source>The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments using them are missing from the WAV.</source>
            <translation>
                <numerusform>The soundfont %1 looks damaged: %n of its %2 samples points outside its sample data, so the instruments using it are missing from the WAV.</numerusform>
                <numerusform>The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments using them are missing from the WAV.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 samples point outside its sample data, so they cannot sound. Choose another under File &gt; Preferences &gt; Soundfont.</source>
            <translation>
                <numerusform>%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 samples points outside its sample data, so it cannot sound. Choose another under File &gt; Preferences &gt; Soundfont.</numerusform>
                <numerusform>%1 was not written: the piece renders to silence. The soundfont %2 looks damaged: %n of its %3 samples point outside its sample data, so they cannot sound. Choose another under File &gt; Preferences &gt; Soundfont.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>FileController</name>
        <message numerus="yes">
            <source>While you chose, a Generate listed %n new take(s), not kept. Discard them too?</source>
            <translation>
                <numerusform>While you chose, a Generate listed %n new take, not kept. Discard it too?</numerusform>
                <numerusform>While you chose, a Generate listed %n new takes, not kept. Discard them too?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The %n takes in the Takes panel are not kept and will be lost too: saving the piece does not keep them.</source>
            <translation>
                <numerusform>The %n take in the Takes panel is not kept and will be lost too: saving the piece does not keep it.</numerusform>
                <numerusform>The %n takes in the Takes panel are not kept and will be lost too: saving the piece does not keep them.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n takes are not kept. Discard them?</source>
            <translation>
                <numerusform>%n take is not kept. Discard it?</numerusform>
                <numerusform>%n takes are not kept. Discard them?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n track(s)</source>
            <translation>
                <numerusform>%n track</numerusform>
                <numerusform>%n tracks</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n bar(s)</source>
            <translation>
                <numerusform>%n bar</numerusform>
                <numerusform>%n bars</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 ends in %n silent bar(s) after its notes, and so does the piece now: they play and export with it (the ruler marks its end; Edit &gt; Trim Silent Bars at the End takes them away).</source>
            <translation>
                <numerusform>%1 ends in %n silent bar after its notes, and so does the piece now: that bar plays and exports with it (the ruler marks its end; Edit &gt; Trim Silent Bars at the End takes it away).</numerusform>
                <numerusform>%1 ends in %n silent bars after its notes, and so does the piece now: they play and export with it (the ruler marks its end; Edit &gt; Trim Silent Bars at the End takes them away).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n note(s) sound inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file gives them each other's ends (the piece keeps them as they are).</source>
            <translation>
                <numerusform>%n note sounds inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file gives the two each other's ends (the piece keeps both as they are).</numerusform>
                <numerusform>%n notes sound inside a longer note of the same pitch: MIDI cannot tell such notes apart, so the file gives them each other's ends (the piece keeps them as they are).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>GenerateController</name>
        <message numerus="yes">
            <source>%n take(s) in %1 s on %2</source>
            <translation>
                <numerusform>%n take in %1 s on %2</numerusform>
                <numerusform>%n takes in %1 s on %2</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>They replace the %n take(s) of the last Generate that were not kept.</source>
            <translation>
                <numerusform>They replace the %n take of the last Generate that was not kept.</numerusform>
                <numerusform>They replace the %n takes of the last Generate that were not kept.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Your taste has learnt from %n take(s) you kept or discarded. Forget it? The critic alone ranks the takes from then on, and this cannot be undone.</source>
            <translation>
                <numerusform>Your taste has learnt from %n take you kept or discarded. Forget it? The critic alone ranks the takes from then on, and this cannot be undone.</numerusform>
                <numerusform>Your taste has learnt from %n takes you kept or discarded. Forget it? The critic alone ranks the takes from then on, and this cannot be undone.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Keep puts the tune back into %1 without the %n note(s) under it, and with %2 cut where it enters: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</source>
            <translation>
                <numerusform>Keep puts the tune back into %1 without the %n note under it, and with %2 cut where it enters: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</numerusform>
                <numerusform>Keep puts the tune back into %1 without the %n notes under it, and with %2 cut where it enters: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n note(s) held under a higher one</source>
            <translation>
                <numerusform>%n note held under a higher one</numerusform>
                <numerusform>%n notes held under a higher one</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Keep puts the tune back into %1 without the %n note(s) under it: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</source>
            <translation>
                <numerusform>Keep puts the tune back into %1 without the %n note under it: the new parts take its place (Undo brings it back; Keep as New Track leaves %1 as it is).</numerusform>
                <numerusform>Keep puts the tune back into %1 without the %n notes under it: the new parts take their place (Undo brings them back; Keep as New Track leaves %1 as it is).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>: %n note(s) under the tune gave way to the new parts and %1 (Undo brings them back)</source>
            <translation>
                <numerusform>: %n note under the tune gave way to the new parts and %1 (Undo brings them back)</numerusform>
                <numerusform>: %n notes under the tune gave way to the new parts and %1 (Undo brings them back)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n held note(s) were cut short</source>
            <translation>
                <numerusform>%n held note was cut short</numerusform>
                <numerusform>%n held notes were cut short</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Already in %1 of %2: %n note(s). Keep puts the take in their place (Undo brings them back); Keep as New Track leaves them as they are and plays the take over them from a track of its own.</source>
            <translation>
                <numerusform>Already in %1 of %2: %n note. Keep puts the take in its place (Undo brings it back); Keep as New Track leaves it as it is and plays the take over it from a track of its own.</numerusform>
                <numerusform>Already in %1 of %2: %n notes. Keep puts the take in their place (Undo brings them back); Keep as New Track leaves them as they are and plays the take over them from a track of its own.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n take(s) came back empty (or opened on an empty bar) even when drawn again and are not listed: try another style, engine or temperature.</source>
            <translation>
                <numerusform>%n take came back empty (or opened on an empty bar) even when drawn again and is not listed: try another style, engine or temperature.</numerusform>
                <numerusform>%n takes came back empty (or opened on an empty bar) even when drawn again and are not listed: try another style, engine or temperature.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n take(s) repeated another take even when drawn again and are not listed.</source>
            <translation>
                <numerusform>%n take repeated another take even when drawn again and is not listed.</numerusform>
                <numerusform>%n takes repeated another take even when drawn again and are not listed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n take(s) came back empty or repeated another and were drawn again.</source>
            <translation>
                <numerusform>%n take came back empty or repeated another and was drawn again.</numerusform>
                <numerusform>%n takes came back empty or repeated another and were drawn again.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n take(s) listed of the %3 drawn in %1 s on %2</source>
            <translation>
                <numerusform>%n take listed of the %3 drawn in %1 s on %2</numerusform>
                <numerusform>%n takes listed of the %3 drawn in %1 s on %2</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Cancelled; the %n take(s) kept before the cancel stay in the score (Undo takes them out and lists them again).</source>
            <translation>
                <numerusform>Cancelled; the %n take kept before the cancel stays in the score (Undo takes it out and lists it again).</numerusform>
                <numerusform>Cancelled; the %n takes kept before the cancel stay in the score (Undo takes them out and lists them again).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The %n take(s) listed before this Generate are listed again.</source>
            <translation>
                <numerusform>The %n take listed before this Generate is listed again.</numerusform>
                <numerusform>The %n takes listed before this Generate are listed again.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The %n take(s) it drew before the cancel are no longer listed.</source>
            <translation>
                <numerusform>The %n take it drew before the cancel is no longer listed.</numerusform>
                <numerusform>The %n takes it drew before the cancel are no longer listed.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n take(s) not kept when MuseStudio stopped are listed again</source>
            <translation>
                <numerusform>%n take not kept when MuseStudio stopped is listed again</numerusform>
                <numerusform>%n takes not kept when MuseStudio stopped are listed again</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>: %n note(s) under the tune gave way to the new parts (Undo brings them back)</source>
            <translation>
                <numerusform>: %n note under the tune gave way to the new parts (Undo brings it back)</numerusform>
                <numerusform>: %n notes under the tune gave way to the new parts (Undo brings them back)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>: it plays over the %n note(s) already in %1</source>
            <translation>
                <numerusform>: it plays over the %n note already in %1</numerusform>
                <numerusform>: it plays over the %n notes already in %1</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>: the %n note(s) already in %1 gave way to it (Undo brings them back)</source>
            <translation>
                <numerusform>: the %n note already in %1 gave way to it (Undo brings it back)</numerusform>
                <numerusform>: the %n notes already in %1 gave way to it (Undo brings them back)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>InspectorPanel</name>
        <message numerus="yes">
            <source>%n note(s)</source>
            <translation>
                <numerusform>%n note</numerusform>
                <numerusform>%n notes</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Jam</name>
        <message numerus="yes">
            <source>It replaces the %n take(s) listed and not kept.</source>
            <translation>
                <numerusform>It replaces the %n take listed and not kept.</numerusform>
                <numerusform>It replaces the %n takes listed and not kept.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>LearnStyleDialog</name>
        <message numerus="yes">
            <source>%n bar(s)</source>
            <translation>
                <numerusform>%n bar</numerusform>
                <numerusform>%n bars</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Using %n file(s) (%1).</source>
            <translation>
                <numerusform>Using %n file (%1).</numerusform>
                <numerusform>Using %n files (%1).</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>In %n step(s) the models learned nothing from your files that they do not already play in the %2 style, so %3 plays as %2. Learn it again with more time.</source>
            <translation>
                <numerusform>In %n step the models learned nothing from your files that they do not already play in the %2 style, so %3 plays as %2. Learn it again with more time.</numerusform>
                <numerusform>In %n steps the models learned nothing from your files that they do not already play in the %2 style, so %3 plays as %2. Learn it again with more time.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>PreferencesDialog</name>
        <message numerus="yes">
            <source>The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments using them will be silent.</source>
            <translation>
                <numerusform>The soundfont %1 looks damaged: %n of its %2 samples points outside its sample data, so the instruments using it will be silent.</numerusform>
                <numerusform>The soundfont %1 looks damaged: %n of its %2 samples point outside its sample data, so the instruments using them will be silent.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Recording</name>
        <message numerus="yes">
            <source>Record %n note(s)</source>
            <translation>
                <numerusform>Record %n note</numerusform>
                <numerusform>Record %n notes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Recorded %n note(s)</source>
            <translation>
                <numerusform>Recorded %n note</numerusform>
                <numerusform>Recorded %n notes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 (%n in place of the same note(s) already there)</source>
            <translation>
                <numerusform>%1 (%n in place of the same note already there)</numerusform>
                <numerusform>%1 (%n in place of the same notes already there)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 and %n controller event(s)</source>
            <translation>
                <numerusform>%1 and %n controller event</numerusform>
                <numerusform>%1 and %n controller events</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Step input %n note(s)</source>
            <translation>
                <numerusform>Step input %n note</numerusform>
                <numerusform>Step input %n notes</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RecoveryDialog</name>
        <message numerus="yes">
            <source>%1 (+ %n take(s))</source>
            <translation>
                <numerusform>%1 (+ %n take)</numerusform>
                <numerusform>%1 (+ %n takes)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The unsaved changes to “%1” will be lost for good, and so will the %n generated take(s) listed with it and not kept.</source>
            <translation>
                <numerusform>The unsaved changes to “%1” will be lost for good, and so will the %n generated take listed with it and not kept.</numerusform>
                <numerusform>The unsaved changes to “%1” will be lost for good, and so will the %n generated takes listed with it and not kept.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>RulerWidget</name>
        <message numerus="yes">
            <source>The piece ends here, after %n silent bar(s): the MIDI file it came from ends so (a loop's rests). They play, export and loop with it; Edit &gt; Trim Silent Bars at the End ends the piece at its last note.</source>
            <translation>
                <numerusform>The piece ends here, after %n silent bar: the MIDI file it came from ends so (a loop's rest). That bar plays, exports and loops with it; Edit &gt; Trim Silent Bars at the End ends the piece at its last note.</numerusform>
                <numerusform>The piece ends here, after %n silent bars: the MIDI file it came from ends so (a loop's rests). They play, export and loop with it; Edit &gt; Trim Silent Bars at the End ends the piece at its last note.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Styles</name>
        <message numerus="yes">
            <source>%n bar(s)</source>
            <translation>
                <numerusform>%n bar</numerusform>
                <numerusform>%n bars</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Learned from %n file(s), %1, on %2 (starts from %3).</source>
            <translation>
                <numerusform>Learned from %n file, %1, on %2 (starts from %3).</numerusform>
                <numerusform>Learned from %n files, %1, on %2 (starts from %3).</numerusform>
            </translation>
        </message>
    </context>
</TS>
